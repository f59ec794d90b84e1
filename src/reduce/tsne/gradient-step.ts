/**
 * One gradient-descent step of t-SNE over a range of points, and the re-centring that follows it
 * (the arithmetic of optimizer.ts, split out so that several threads can each take a range:
 * parallel-gradient.ts). At a million points the step is ~36 ms of every iteration on one thread.
 *
 * The embedding's mean, needed to re-centre it, is added up per block of `STEP_BLOCK` points and then
 * block by block in order; threads take whole blocks. So the mean, and with it every position, is the
 * same whatever the number of threads.
 */

/** Points per block of the mean's partial sums (and the unit the threads' ranges are cut in). */
export const STEP_BLOCK = 4096;

/** Gain increment when the gradient's sign disagrees with the last update, and decay otherwise. */
export const GAIN_INCREASE = 0.2;
export const GAIN_DECAY = 0.8;

/** The numbers one step uses, the same for every point. */
export interface StepCoefficients {
  /** 1 / Z of the evaluation the forces come from (0 when Z is 0). */
  invZ: number;
  momentum: number;
  learningRate: number;
  minGain: number;
  /** Square of the longest step a point may take. */
  maxStep2: number;
}

/** The state a step reads and writes, n x dims row-major each. */
export interface StepState {
  positions: Float64Array;
  update: Float64Array;
  gains: Float64Array;
  attr: Float64Array;
  rep: Float64Array;
}

/** Blocks of `STEP_BLOCK` points in n points. */
export function stepBlocks(n: number): number {
  return Math.ceil(n / STEP_BLOCK);
}

/** Points [from, to) of `thread` of `threads` for a step: whole blocks, contiguous. */
export function stepRangeOf(n: number, thread: number, threads: number): [number, number] {
  const blocks = stepBlocks(n);
  const b0 = Math.floor((blocks * thread) / threads);
  const b1 = Math.floor((blocks * (thread + 1)) / threads);
  return [Math.min(n, b0 * STEP_BLOCK), Math.min(n, b1 * STEP_BLOCK)];
}

/**
 * Delta-bar-delta step with momentum for points [from, to) (`from` a multiple of STEP_BLOCK): moves
 * them, and writes each block's coordinate sums into `blockSums` (blocks x dims).
 */
export function descendRange(
  s: StepState,
  dims: number,
  c: StepCoefficients,
  from: number,
  to: number,
  blockSums: Float64Array,
): void {
  const { positions: y, update, gains, attr, rep } = s;
  const { invZ, momentum, learningRate: lr, minGain, maxStep2 } = c;
  for (let start = from; start < to; start += STEP_BLOCK) {
    const end = Math.min(to, start + STEP_BLOCK);
    const block = start / STEP_BLOCK;
    for (let k = 0; k < dims; k++) blockSums[block * dims + k] = 0;
    for (let i = start; i < end; i++) {
      let step2 = 0;
      for (let k = 0; k < dims; k++) {
        const e = i * dims + k;
        const grad = attr[e] - rep[e] * invZ;
        const u = update[e];
        // Delta-bar-delta: grow the gain while the gradient keeps pointing against the last step.
        let g = Math.sign(grad) !== Math.sign(u) ? gains[e] + GAIN_INCREASE : gains[e] * GAIN_DECAY;
        if (g < minGain) g = minGain;
        gains[e] = g;
        const nu = momentum * u - lr * g * grad;
        update[e] = nu;
        step2 += nu * nu;
      }
      if (step2 > maxStep2) {
        const shrink = Math.sqrt(maxStep2 / step2);
        for (let k = 0; k < dims; k++) update[i * dims + k] *= shrink;
      }
      for (let k = 0; k < dims; k++) {
        const e = i * dims + k;
        y[e] += update[e];
        blockSums[block * dims + k] += y[e];
      }
    }
  }
}

/** The mean of n points from their block sums (added up block by block, in order) into `mean`. */
export function meanFromBlocks(blockSums: Float64Array, n: number, dims: number, mean: Float64Array): void {
  const blocks = stepBlocks(n);
  for (let k = 0; k < dims; k++) {
    let sum = 0;
    for (let b = 0; b < blocks; b++) sum += blockSums[b * dims + k];
    mean[k] = sum / n;
  }
}

/**
 * Subtracts `mean` from points [from, to) and returns the smallest and largest coordinate over all
 * axes of those points after the shift (what the FFT grid needs next) in `range[0]`, `range[1]`.
 */
export function recentreRange(
  y: Float64Array,
  dims: number,
  mean: Float64Array,
  from: number,
  to: number,
  range: Float64Array,
): void {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) {
    for (let k = 0; k < dims; k++) {
      const v = y[i * dims + k] - mean[k];
      y[i * dims + k] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  range[0] = lo;
  range[1] = hi;
}

/** Scratch of one optimisation's steps: block sums, the mean, the last range. */
export class StepScratch {
  readonly blockSums: Float64Array;
  readonly mean = new Float64Array(3);
  readonly range = new Float64Array(2);
  constructor(n: number, dims: number, alloc: (length: number) => Float64Array = (l) => new Float64Array(l)) {
    this.blockSums = alloc(stepBlocks(n) * dims);
  }
}

/** A whole step on this thread: descend every point, then re-centre (range in `scratch.range`). */
export function descendAll(
  s: StepState,
  n: number,
  dims: number,
  c: StepCoefficients,
  scratch: StepScratch,
): void {
  descendRange(s, dims, c, 0, n, scratch.blockSums);
  meanFromBlocks(scratch.blockSums, n, dims, scratch.mean);
  recentreRange(s.positions, dims, scratch.mean, 0, n, scratch.range);
}
