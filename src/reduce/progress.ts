/**
 * What every reduction method takes besides its settings: a progress callback and an AbortSignal.
 */
import { CancelledError } from '../errors.js';

/** Progress in [0, 1] and the stage it is in, e.g. `umap:optimise` or `pca:done`. */
export type ReduceProgress = (fraction: number, stage: string) => void;

/** The `signal` and `onProgress` fields of every method's options. */
export interface ReduceCallbacks {
  /** Cancels the computation with a CancelledError. */
  signal?: AbortSignal;
  onProgress?: ReduceProgress;
}

/** Throws a CancelledError naming `what` when `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(`${what} cancelled`);
}
