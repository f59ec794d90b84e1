/** Runs the CLI from source in a child process (as a user would run it), capturing output and exit code. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = join(import.meta.dirname, 'cli-entry.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: {
    /**
     * Sends a signal once, as soon as the stderr seen so far satisfies this test: interrupts at a
     * chosen stage (the progress display prints a line when each stage starts) without timing.
     */
    signalWhen?: (stderr: string) => boolean;
    /** The signal `signalWhen` sends (SIGINT). */
    signal?: NodeJS.Signals;
    env?: Record<string, string>;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { ...process.env, FEATSCOPE_DEBUG: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    let signalled = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!signalled && options.signalWhen?.(stderr)) {
        signalled = true;
        child.kill(options.signal ?? 'SIGINT');
      }
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** True when the text holds a JavaScript stack trace line. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text);
}

/**
 * A refused command: the exit code, the message as one paragraph without a stack trace, and an
 * output folder left absent or empty (nothing half-written).
 */
export function assertRefused(r: CliResult & { out: string }, message: RegExp, code = 1): void {
  assert.equal(r.code, code, r.stderr);
  assert.match(r.stderr, message);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one paragraph:\n${r.stderr}`);
  assert.ok(!existsSync(r.out) || readdirSync(r.out).length === 0, 'nothing left in the output folder');
}

/** `featscope reduce --features F --out <fresh folder under parent> ...args`, with the output folder. */
export async function runReduce(
  features: string,
  parent: string,
  args: string[],
): Promise<CliResult & { out: string }> {
  const out = join(mkdtempSync(join(parent, 'out-')), 'out');
  return { ...(await runCli(['reduce', '--features', features, '--out', out, ...args])), out };
}
