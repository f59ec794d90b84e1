/**
 * Runs a command and follows the memory of its whole process tree: every `intervalMs` it adds up the
 * resident memory (VmRSS) of the process and all its descendants, found through
 * /proc/<pid>/task/<tid>/children. The peak is the largest such sum, and at least the largest peak of
 * any single process of the tree (VmHWM, which the kernel keeps, so a short spike of one process is
 * not missed between samples). A peer that runs a helper program beside its own interpreter
 * (FIt-SNE's Python wrapper and its C++ program) is so charged for both at once, where GNU time and
 * getrusage report only the largest single process. Linux only (null peak elsewhere).
 *
 * It also follows the CPU time of the tree (user + system, of the live processes and of the children
 * they have waited for, from /proc/<pid>/stat), which shows how much of a wall-clock time on a busy
 * machine was the tool's own work.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface TreeRun {
  /** Exit code, or null when killed. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the time limit stopped it. */
  timedOut: boolean;
  /** Peak summed resident memory of the process tree in bytes; null where /proc is missing. */
  peakBytes: number | null;
  /** CPU seconds of the tree up to its last sample; null where /proc is missing. */
  cpuSeconds: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

export interface TreeRunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  intervalMs?: number;
}

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]);
  } catch {
    return 0; // the process has just ended
  }
}

/** CPU ticks of a process: its own (utime + stime), plus its waited-for children's when `withChildren`. */
function cpuTicks(pid: number, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return withChildren ? own + Number(f[13]) + Number(f[14]) : own;
  } catch {
    return 0;
  }
}

/** `pid` and its descendants. */
function processTree(pid: number): number[] {
  const all: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const p = pending.pop()!;
    all.push(p);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) for (const k of kids.split(/\s+/)) pending.push(Number(k));
      } catch {
        // the task has just ended
      }
    }
  }
  return all;
}

/** Runs `command args` to the end (or the time limit) and reports its output and peak tree memory. */
export function runWithTreeMemory(
  command: string,
  args: string[],
  options: TreeRunOptions,
): Promise<TreeRun> {
  const proc = existsSync('/proc/self/status');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    let peakKb = 0;
    let cpu = 0;
    const sample = () => {
      if (!proc || child.pid === undefined) return;
      let sum = 0;
      let ticks = 0;
      for (const p of processTree(child.pid)) {
        sum += readStatusKb(p, 'VmRSS');
        peakKb = Math.max(peakKb, readStatusKb(p, 'VmHWM'));
        ticks += cpuTicks(p, p === child.pid);
      }
      peakKb = Math.max(peakKb, sum);
      cpu = Math.max(cpu, ticks);
    };
    const timer = setInterval(sample, options.intervalMs ?? 50);
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearInterval(timer);
      clearTimeout(limit);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearInterval(timer);
      clearTimeout(limit);
      resolve({
        status,
        signal,
        stdout,
        stderr,
        timedOut,
        peakBytes: proc ? peakKb * 1024 : null,
        cpuSeconds: proc ? cpu / TICKS : null,
      });
    });
  });
}
