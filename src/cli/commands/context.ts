import type { ProgressListener } from '../../pipeline/progress.js';

/** What a command gets from the CLI shell: progress drawing, messages, cancellation. */
export interface CommandContext {
  progress: ProgressListener;
  signal: AbortSignal;
  /** A result line for the user (stdout). */
  log: (msg: string) => void;
  /** Warnings and skipped files (stderr summary). */
  report: (warnings: string[], skipped?: { path: string; reason: string }[]) => void;
}
