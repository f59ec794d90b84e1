/**
 * The protocol between the parallel gradient engine (parallel-gradient.ts) and its workers
 * (gradient-worker.ts). Buffers are SharedArrayBuffers, never copied. Setup and buffer changes travel
 * as typed messages on a MessagePort that the worker drains synchronously (`receiveMessageOnPort`)
 * when woken; every iteration is one `Atomics.notify` on CONTROL[SEQ] (with the task in TASK) and one
 * on CONTROL[DONE] per finished worker, so an iteration costs no event-loop round trip.
 */
import type { WasmMemory } from '../wasm-modules.js';
import type { FftGrids, GridPlan } from './fft-points.js';

/** Slots of the Int32 control array. */
export const SEQ = 0;
export const DONE = 1;
export const FAILED = 2;
/** The next chunk of Barnes-Hut groups to take (KIND_BH, `repulsiveForcesBhShared`). */
export const NEXT = 3;
export const CONTROL_SLOTS = 4;

/** Slots of the Float64 task array. */
export const TASK_KIND = 0;
export const TASK_EXAGGERATION = 1;
export const TASK_THETA = 2;
export const TASK_FLAT_SIZE = 3;
/** KIND_FFT and KIND_FFT_GATHER: the grid (`GridPlan`; `writeGridPlan`, `readGridPlan`). */
export const TASK_GRID_M = 4;
export const TASK_GRID_H = 5;
export const TASK_GRID_LO = 6;
export const TASK_GRID_BOX_WIDTH = 7;
export const TASK_GRID_BOXES = 8;
/** KIND_STEP: the step's coefficients (gradient-step.ts `StepCoefficients`). */
export const TASK_INV_Z = 9;
export const TASK_MOMENTUM = 10;
export const TASK_LEARNING_RATE = 11;
export const TASK_MIN_GAIN = 12;
export const TASK_MAX_STEP2 = 13;
/** KIND_RECENTRE: the mean to subtract, one slot per axis. */
export const TASK_MEAN = 14;
export const TASK_SLOTS = 17;

/**
 * Task kinds. Barnes-Hut takes two rounds: KIND_ATTRACTIVE (workers take most of the attractive
 * forces while the main thread builds the tree, `attractionRangeBesideTree`), then KIND_BH (everyone
 * takes chunks of the tree's point groups from CONTROL[NEXT] until none are left). FFT takes two:
 * KIND_FFT (attractive shares; the main thread spreads and convolves charge grid a, worker 1 grid b),
 * then KIND_FFT_GATHER (everyone gathers the forces of its share of points).
 * A step takes two: KIND_STEP (everyone steps its whole blocks of points, `stepRangeOf`) and
 * KIND_RECENTRE (everyone subtracts the mean from them and reports their range).
 */
export const KIND_BH = 1;
export const KIND_FFT = 2;
export const KIND_EXIT = 3;
export const KIND_ATTRACTIVE = 4;
export const KIND_FFT_GATHER = 5;
export const KIND_STEP = 7;
export const KIND_RECENTRE = 8;

/**
 * Below this many points a step stays on the main thread: a round of the workers costs more than the
 * work it would share (the numbers are the same either way).
 */
export const PARALLEL_STEP_MIN_POINTS = 50_000;

export type WorkerMessage =
  | {
      type: 'setup';
      thread: number;
      threads: number;
      n: number;
      dims: 2 | 3;
      rowPtr: Int32Array;
      cols: Int32Array;
      vals: Float32Array;
      positions: Float64Array;
      attr: Float64Array;
      rep: Float64Array;
      zPoint: Float64Array;
      task: Float64Array;
      /** The shared WebAssembly memory P lies in (`CsrMatrix.memory`), when it does. */
      pMemory?: WasmMemory;
      /**
       * The shared WebAssembly memory that every point array of the engine (positions, forces, the
       * step's arrays, the shares of Z, the FFT's grids) lies in, for the WebAssembly point and step
       * kernels; null when there is none (the TypeScript kernels run, with the same numbers).
       */
      arena: WasmMemory | null;
    }
  | { type: 'tree'; nodes: Float64Array; order: Int32Array }
  /** The FFT's grids (in `arena` when there is one). */
  | { type: 'grids'; grids: FftGrids }
  | {
      type: 'step';
      update: Float64Array;
      gains: Float64Array;
      blockSums: Float64Array;
      /** Per thread: the smallest and largest coordinate of its points after re-centring. */
      ranges: Float64Array;
    };

/**
 * A worker's report of its task's exception, posted on its port before it raises CONTROL[FAILED];
 * the main thread drains it synchronously so that the error it throws says what went wrong.
 */
export interface WorkerFailure {
  type: 'failed';
  thread: number;
  message: string;
  stack?: string;
}

/** Rows [start, end) of a fixed split of n items over `threads`: the same for every iteration. */
export function rangeOf(n: number, thread: number, threads: number): [number, number] {
  return [Math.floor((n * thread) / threads), Math.floor((n * (thread + 1)) / threads)];
}

/**
 * Attractive rows [start, end) of `thread` while the main thread (thread 0) also builds the
 * Barnes-Hut tree: the main thread takes a quarter share. Measured at 10k points on two threads,
 * building and flattening the tree costs about as much as the attraction of a third of the rows, and
 * with a half share the main thread finished round 1 well after the worker.
 */
export function attractionRangeBesideTree(n: number, thread: number, threads: number): [number, number] {
  const mainShare = 0.25;
  const shares = threads - 1 + mainShare;
  const edge = (t: number) =>
    t <= 0 ? 0 : t >= threads ? n : Math.floor((n * (t - 1 + mainShare)) / shares);
  return [edge(thread), edge(thread + 1)];
}

/** Every attractive row `thread` computes in either kind of round (its AttractionKernel's block). */
export function attractionRowsOf(n: number, thread: number, threads: number): [number, number] {
  const [b0, b1] = attractionRangeBesideTree(n, thread, threads);
  const [f0, f1] = rangeOf(n, thread, threads);
  return [Math.min(b0, f0), Math.max(b1, f1)];
}

/** Puts the FFT grid of this evaluation in the task. */
export function writeGridPlan(task: Float64Array, plan: GridPlan): void {
  task[TASK_GRID_M] = plan.m;
  task[TASK_GRID_H] = plan.h;
  task[TASK_GRID_LO] = plan.lo;
  task[TASK_GRID_BOX_WIDTH] = plan.boxWidth;
  task[TASK_GRID_BOXES] = plan.nBoxes;
}

/** The FFT grid the task carries. */
export function readGridPlan(task: Float64Array): GridPlan {
  return {
    m: task[TASK_GRID_M],
    h: task[TASK_GRID_H],
    lo: task[TASK_GRID_LO],
    boxWidth: task[TASK_GRID_BOX_WIDTH],
    nBoxes: task[TASK_GRID_BOXES],
  };
}
