/**
 * t-SNE, the public entry point: validation, PCA pre-reduction, kNN, perplexity-calibrated affinities,
 * PCA initialisation and the two-phase optimisation (docs/architecture.md section 4, following openTSNE and FIt-SNE).
 */
import { CancelledError, UserError } from '../../errors.js';
import { knnAsync } from '../knn/knn.js';
import { pca } from '../pca/pca.js';
import { type CsrMatrix, jointProbabilities } from './affinities.js';
import { BhRepulsion } from './gradient-bh.js';
import { type GradientEngine, SerialGradient } from './gradient-engine.js';
import { FftRepulsion2d } from './gradient-fft.js';
import { randomInit, scaledPcaInit } from './initialization.js';
import { localityOrder, permuteCsr, permuteRows, unpermuteRows } from './locality-order.js';
import { OPTIMIZER_DEFAULTS, TsneOptimizer } from './optimizer.js';
import { INITIAL_STD, type ResolvedTsneOptions, resolveTsneOptions, type TsneOptions } from './options.js';
import { ParallelGradient } from './parallel-gradient.js';
import { AdaptiveRepulsion2d } from './repulsion-choice.js';

export interface TsneResult {
  /** n x dims, row-major. */
  embedding: Float32Array;
  /** KL(P || Q) of the final embedding (over the sparse P; see kl-divergence.ts). */
  klDivergence: number;
  /** Every resolved setting, 'auto' values included (for run.json). */
  resolved: ResolvedTsneOptions & Record<string, unknown>;
  warnings: string[];
}

/** Share of the progress bar per stage (the optimisation dominates the run time). */
const PROGRESS_SHARE = { prepare: 0.15, optimise: 0.85 } as const;
/**
 * Below this many points the gradient stays on one thread: the work per iteration is too small to
 * repay waking the workers. The thread count does not change the result; `resolved.threads` records
 * the count actually used.
 */
export const PARALLEL_MIN_POINTS = 1000;
/** Iterations between yields to the event loop, so an AbortSignal from a signal handler gets through. */
const YIELD_EVERY = 10;

/** Throws a UserError naming the first rows that hold NaN or +-Infinity. */
export function assertFinite(data: Float32Array, n: number, d: number): void {
  const bad: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(data[i * d + j])) {
        if (bad.length < 5) bad.push(i);
        count++;
        break;
      }
    }
  }
  if (count > 0) {
    throw new UserError(
      `The features contain NaN or infinite values in ${count} row(s), first at row(s) ${bad.join(', ')} ` +
        '(0-based). t-SNE needs finite numbers: check the model output for these images, or remove them.',
    );
  }
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError('t-SNE cancelled');
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Embed n rows of d features (row-major float32) in 2 or 3 dimensions.
 * `onProgress(fraction, stage)` reports overall progress in [0, 1]; `signal` cancels with a CancelledError.
 */
export async function tsne(
  data: Float32Array,
  n: number,
  d: number,
  options?: Partial<TsneOptions>,
  onProgress?: (fraction: number, stage: string) => void,
  signal?: AbortSignal,
): Promise<TsneResult> {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1 || data.length < n * d) {
    throw new UserError(
      `t-SNE input must be an n x d matrix with n >= 0 and d >= 1; got n=${n}, d=${d}, ${data.length} values.`,
    );
  }
  assertFinite(data, n, d);
  const { resolved, warnings } = resolveTsneOptions(n, d, options);
  const dims = resolved.dims;
  const result = (embedding: Float32Array, klDivergence: number, threads = 1): TsneResult => ({
    embedding,
    klDivergence,
    resolved: { ...resolved, threads, threadsRequested: resolved.threads },
    warnings,
  });
  if (n <= 1) {
    // One point (or none): nothing to arrange; it sits at the origin.
    onProgress?.(1, 'tsne:done');
    return result(new Float32Array(n * dims), 0);
  }
  checkAborted(signal);

  // 1. PCA: pre-reduction of wide inputs, and the initial layout.
  onProgress?.(0, 'tsne:pca');
  let features = data;
  let featureDims = d;
  let projected: Float64Array;
  let projectedDims: number;
  if (resolved.pcaDims !== null) {
    const reduced = pca(data, n, d, resolved.pcaDims, { seed: resolved.seed });
    features = Float32Array.from(reduced.projected);
    featureDims = resolved.pcaDims;
    projected = reduced.projected;
    projectedDims = resolved.pcaDims;
  } else {
    projectedDims = Math.min(dims, d);
    projected =
      resolved.initialization === 'pca'
        ? pca(data, n, d, projectedDims, { seed: resolved.seed }).projected
        : new Float64Array(0);
  }
  const initialInput = initialLayout(projected, n, projectedDims, resolved, warnings);
  checkAborted(signal);
  await nextTick();

  // 2. Neighbours and affinities.
  const threads = n >= PARALLEL_MIN_POINTS ? resolved.threads : 1;
  onProgress?.(PROGRESS_SHARE.prepare * 0.2, 'tsne:knn');
  const graph = await knnAsync(features, n, featureDims, resolved.k, {
    method: resolved.knnMethod,
    seed: resolved.seed,
    threads,
  });
  checkAborted(signal);
  onProgress?.(PROGRESS_SHARE.prepare * 0.9, 'tsne:affinities');
  const pInput: CsrMatrix = jointProbabilities(
    graph.indices,
    graph.distances,
    n,
    graph.k,
    resolved.perplexity,
  );
  resolved.knnMethod = graph.method;
  checkAborted(signal);
  await nextTick();

  // 3. Optimisation, on the points renumbered for cache locality (locality-order.ts).
  const order = localityOrder(pInput);
  const p = permuteCsr(pInput, order);
  const initial = permuteRows(initialInput, order, dims);
  let engine: GradientEngine | null = null;
  if (threads > 1) {
    try {
      engine = await ParallelGradient.create(p, dims, resolved.method, resolved.theta, threads);
    } catch (e) {
      warnings.push(`Could not start worker threads (${(e as Error).message}); t-SNE runs on one thread.`);
    }
  }
  engine ??= new SerialGradient(
    p,
    dims,
    resolved.method === 'fft'
      ? new FftRepulsion2d()
      : resolved.method === 'adaptive'
        ? new AdaptiveRepulsion2d(resolved.theta)
        : new BhRepulsion(dims, resolved.theta),
  );
  try {
    const optimizer = new TsneOptimizer(p, initial, n, dims, engine, {
      learningRate: resolved.learningRate,
      iterations: resolved.iterations,
      earlyExaggeration: resolved.earlyExaggeration,
      earlyExaggerationIterations: resolved.earlyExaggerationIterations,
      momentumEarly: OPTIMIZER_DEFAULTS.momentumEarly,
      momentumLate: OPTIMIZER_DEFAULTS.momentumLate,
      minGain: OPTIMIZER_DEFAULTS.minGain,
      maxStepNorm: OPTIMIZER_DEFAULTS.maxStepNorm,
    });
    while (!optimizer.done) {
      const stop = Math.min(resolved.iterations, optimizer.iteration + YIELD_EVERY);
      while (optimizer.iteration < stop) optimizer.step();
      const fraction =
        PROGRESS_SHARE.prepare + (PROGRESS_SHARE.optimise * optimizer.iteration) / resolved.iterations;
      onProgress?.(fraction, `tsne:${optimizer.stage}`);
      await nextTick();
      checkAborted(signal);
    }
    const kl = optimizer.klDivergence();
    onProgress?.(1, 'tsne:done');
    return result(unpermuteRows(optimizer.positions, order, dims), kl, engine.threads);
  } finally {
    engine.dispose();
  }
}

/** PCA start (scaled) or random start; random when PCA has no spread, fresh noise for flat PCA columns. */
function initialLayout(
  projected: Float64Array,
  n: number,
  projectedDims: number,
  resolved: ResolvedTsneOptions,
  warnings: string[],
): Float64Array {
  const dims = resolved.dims;
  const random = randomInit(n, dims, INITIAL_STD, resolved.seed);
  if (resolved.initialization === 'random') return random;
  const scaled = scaledPcaInit(projected, n, projectedDims, Math.min(dims, projectedDims), INITIAL_STD);
  if (scaled === null) {
    warnings.push('The features have no variance (all rows equal); t-SNE starts from a random layout.');
    return random;
  }
  const used = Math.min(dims, projectedDims);
  const out = new Float64Array(n * dims);
  for (let c = 0; c < dims; c++) {
    // A principal direction without spread (fewer informative features than dims) would stay flat
    // forever, since its gradient is zero: use the random start for that coordinate.
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    if (c < used) {
      for (let i = 0; i < n; i++) {
        const v = scaled[i * used + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const flat = c >= used || !(hi > lo);
    for (let i = 0; i < n; i++) out[i * dims + c] = flat ? random[i * dims + c] : scaled[i * used + c];
  }
  return out;
}
