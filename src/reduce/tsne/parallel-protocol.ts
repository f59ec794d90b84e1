/**
 * The protocol between the parallel gradient engine (parallel-gradient.ts) and its workers
 * (gradient-worker.ts). Buffers are SharedArrayBuffers, never copied. Setup and buffer changes travel
 * as typed messages on a MessagePort that the worker drains synchronously (`receiveMessageOnPort`)
 * when woken; every iteration is one `Atomics.notify` on CONTROL[SEQ] (with the task in TASK) and one
 * on CONTROL[DONE] per finished worker, so an iteration costs no event-loop round trip.
 */

/** Slots of the Int32 control array. */
export const SEQ = 0;
export const DONE = 1;
export const FAILED = 2;
export const CONTROL_SLOTS = 4;

/** Slots of the Float64 task array. */
export const TASK_KIND = 0;
export const TASK_EXAGGERATION = 1;
export const TASK_THETA = 2;
export const TASK_FLAT_SIZE = 3;
export const TASK_GRID_M = 4;
export const TASK_GRID_H = 5;
export const TASK_SLOTS = 8;

/**
 * Task kinds. Barnes-Hut takes two rounds: KIND_ATTRACTIVE (workers split the attractive forces while
 * the main thread builds the tree), then KIND_BH (everyone traverses its share of points). FFT takes
 * one: KIND_FFT (attractive shares, and worker 1 convolves the second charge grid).
 */
export const KIND_BH = 1;
export const KIND_FFT = 2;
export const KIND_EXIT = 3;
export const KIND_ATTRACTIVE = 4;

export type WorkerMessage =
  | {
      type: 'setup';
      thread: number;
      threads: number;
      n: number;
      dims: 2 | 3;
      rowPtr: Int32Array;
      cols: Int32Array;
      vals: Float64Array;
      positions: Float64Array;
      attr: Float64Array;
      rep: Float64Array;
      zPoint: Float64Array;
      task: Float64Array;
    }
  | { type: 'tree'; nodes: Float64Array; order: Int32Array }
  | { type: 'grids'; aRe: Float64Array; aIm: Float64Array; bRe: Float64Array; bIm: Float64Array };

/** Rows [start, end) of a fixed split of n items over `threads`: the same for every iteration. */
export function rangeOf(n: number, thread: number, threads: number): [number, number] {
  return [Math.floor((n * thread) / threads), Math.floor((n * (thread + 1)) / threads)];
}
