/**
 * Runs a command as a child process under GNU time (`/usr/bin/time -v`) and returns its wall time and
 * peak resident memory, so featscope and its Python peer are measured the same way, from outside the
 * process (a process's own report cannot include what happens before it starts or after it exits).
 * GNU time's "Maximum resident set size" is the peak RSS of the child in KiB (getrusage ru_maxrss).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  /** Exit code; null when the process was killed by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Wall seconds measured here around the child (includes process start-up). */
  wallSeconds: number;
  /** Peak resident set size in MB (MiB), from GNU time; null when GNU time is not available. */
  peakRssMb: number | null;
  userSeconds: number | null;
  systemSeconds: number | null;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Copy the child's stderr (its progress lines) to ours while it runs, each line prefixed. */
  echoStderrPrefix?: string;
  /** Kill the child after this many seconds (reported as signal SIGTERM). */
  timeoutSeconds?: number;
}

/** True when GNU time with `-v` is installed (Debian package `time`). */
export function gnuTimeAvailable(): boolean {
  const r = spawnSync(GNU_TIME, ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

export function runMeasured(
  command: string,
  args: string[],
  options: MeasureOptions = {},
): Promise<Measured> {
  const useTime = gnuTimeAvailable();
  // -o keeps GNU time's report out of the child's stderr, which we parse or echo.
  const dir = mkdtempSync(join(tmpdir(), 'featscope-measure-'));
  const report = join(dir, 'time.txt');
  const [cmd, argv] = useTime ? [GNU_TIME, ['-v', '-o', report, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let pending = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      if (options.echoStderrPrefix === undefined) return;
      // Progress bars redraw with \r; show each finished line once.
      pending += b.toString('utf8');
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) process.stderr.write(`${options.echoStderrPrefix}${line}\n`);
    });
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGTERM'), options.timeoutSeconds * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallSeconds = (performance.now() - t0) / 1000;
      let text = '';
      try {
        text = readFileSync(report, 'utf8');
      } catch {
        // no report: GNU time missing, or killed before writing it
      }
      rmSync(dir, { recursive: true, force: true });
      const parsed = parseGnuTimeReport(text);
      // GNU time exits with the child's status; a child killed by signal S gives 128 + S.
      resolve({
        status: code,
        signal,
        wallSeconds,
        peakRssMb: parsed.maxRssKb === null ? null : parsed.maxRssKb / 1024,
        userSeconds: parsed.userSeconds,
        systemSeconds: parsed.systemSeconds,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** The fields we use from `/usr/bin/time -v` output (GNU time 1.9 wording). */
export function parseGnuTimeReport(text: string): {
  maxRssKb: number | null;
  userSeconds: number | null;
  systemSeconds: number | null;
} {
  const field = (label: string): number | null => {
    const m = new RegExp(`${label}:\\s*([\\d.]+)`).exec(text);
    return m ? Number(m[1]) : null;
  };
  return {
    maxRssKb: field('Maximum resident set size \\(kbytes\\)'),
    userSeconds: field('User time \\(seconds\\)'),
    systemSeconds: field('System time \\(seconds\\)'),
  };
}

/** `uptime`'s load averages, noted next to every timing (the machine is shared). */
export function loadAverage(): string {
  try {
    const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ');
    return `${a} ${b} ${c}`;
  } catch {
    return 'unknown';
  }
}
