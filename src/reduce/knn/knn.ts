/**
 * k nearest neighbours (Euclidean) of every row of a row-major n x d float32 matrix: the neighbour graph
 * shared by t-SNE's affinities, UMAP and the quality metrics.
 */
import { exactKnnHeap } from './exact-knn.js';
import type { NeighborHeap } from './neighbor-heap.js';
import { defaultNnDescentParams, nnDescentHeap } from './nn-descent.js';
import { exactKnnParallel } from './parallel-exact-knn.js';
import { nnDescentParallel } from './parallel-nn-descent.js';

export type KnnMethod = 'auto' | 'exact' | 'approx';

export interface KnnOptions {
  /**
   * 'auto' picks exact up to `KNN_DEFAULTS.exactMaxPoints` points (`exactMaxPointsThreaded` when
   * `threads` >= 2), approximate above.
   */
  method?: KnnMethod;
  /** Seed of the approximate method's random projections and sampling. */
  seed?: number;
  /**
   * Threads the search may use (`knnAsync`); both methods split over them, and the result does not
   * depend on the count for NN-descent (parallel-nn-descent.ts).
   */
  threads?: number;
}

export const KNN_DEFAULTS = Object.freeze({
  method: 'auto' as KnnMethod,
  seed: 0,
  /**
   * Largest n for which 'auto' uses exact search. Exact costs n^2 d / 2 multiply-adds; NN-descent's cost
   * grows ~linearly. Measured on PCA-50 Fashion-MNIST pixels at k = 90 (t-SNE, perplexity 30), one
   * core: exact is faster at 10k, a little slower than NN-descent at 15k (recall 0.987) and far slower
   * at 30k (recall 0.98): the crossover is near 12k (bench/README.md, 'Where the thresholds come from').
   */
  exactMaxPoints: 12_000,
  /**
   * The same on two or more threads, where only the exact search is split. Measured with the
   * WebAssembly distance kernel on the demo CNN features (PCA-50), k = 90, two threads: exact search
   * beats NN-descent at 12k (NN-descent recall 0.996), 20k (0.993) and 30k (0.990), by less at each
   * size, so its lead ends near 30k (bench/README.md, 'Where the thresholds come from').
   */
  exactMaxPointsThreaded: 28_000,
});

export interface KnnResult {
  /** n * k neighbour indices, row-major, self excluded, by ascending distance (ties by index). */
  indices: Int32Array;
  /** n * k Euclidean distances (not squared), matching `indices`. */
  distances: Float32Array;
  /** Neighbours per row: the requested k clamped to n - 1. */
  k: number;
  method: 'exact' | 'approx';
  /** Fallbacks taken on the way (e.g. worker threads that could not start); empty when none. */
  warnings?: string[];
}

/** Resolves 'auto' and clamps k: the values that go into run.json. */
export function resolveKnnOptions(
  n: number,
  k: number,
  options: KnnOptions = {},
): { method: 'exact' | 'approx'; k: number; seed: number } {
  const method = options.method ?? KNN_DEFAULTS.method;
  const limit =
    (options.threads ?? 1) >= 2 ? KNN_DEFAULTS.exactMaxPointsThreaded : KNN_DEFAULTS.exactMaxPoints;
  const resolved = method === 'auto' ? (n > limit ? 'approx' : 'exact') : method;
  return {
    method: resolved,
    k: Math.max(0, Math.min(Math.floor(k), n - 1)),
    seed: options.seed ?? KNN_DEFAULTS.seed,
  };
}

/**
 * The k nearest other rows of every row. `data` must be finite (callers validate features first: NaN
 * distances never enter a neighbour list, so the approximate method would fall back to scanning).
 */
export function knn(data: Float32Array, n: number, d: number, k: number, options?: KnnOptions): KnnResult {
  if (data.length < n * d) throw new Error(`knn: data has ${data.length} values, expected ${n} x ${d}`);
  const r = resolveKnnOptions(n, k, options);
  if (r.k === 0)
    return { indices: new Int32Array(0), distances: new Float32Array(0), k: 0, method: r.method };
  if (r.method === 'approx') {
    return approxResult(nnDescentHeap(data, n, d, r.k, defaultNnDescentParams(n, r.k), r.seed));
  }
  return resultFromSortedHeap(exactKnnHeap(data, n, d, r.k), r.method);
}

/** Sorted heap (squared distances) to the result (distances). */
function resultFromSortedHeap(heap: NeighborHeap, method: 'exact' | 'approx'): KnnResult {
  const distances = new Float32Array(heap.n * heap.k);
  for (let i = 0; i < distances.length; i++) distances[i] = Math.sqrt(heap.distances[i]);
  return { indices: heap.indices, distances, k: heap.k, method };
}

/** NN-descent's heap comes back sorted with float32 distances: its arrays are the result, no copy. */
function approxResult(heap: NeighborHeap): KnnResult {
  return { indices: heap.indices, distances: heap.distances as Float32Array, k: heap.k, method: 'approx' };
}

/** The threaded searches (replaceable so that tests can make them fail). */
export interface ParallelKnn {
  exact: typeof exactKnnParallel;
  approx: typeof nnDescentParallel;
}

/**
 * `knn` that may use several threads: from `PARALLEL_KNN_MIN_POINTS` points the exact search
 * (parallel-exact-knn.ts) and NN-descent (parallel-nn-descent.ts) are split over `threads`. When the
 * workers fail, the search runs again on this thread and the result carries a warning.
 */
export async function knnAsync(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  options: KnnOptions = {},
  parallel: ParallelKnn = { exact: exactKnnParallel, approx: nnDescentParallel },
): Promise<KnnResult> {
  const r = resolveKnnOptions(n, k, options);
  const threads = options.threads ?? 1;
  if (threads < 2 || n < PARALLEL_KNN_MIN_POINTS || r.k === 0) {
    return knn(data, n, d, k, options);
  }
  try {
    if (r.method === 'approx') {
      const params = defaultNnDescentParams(n, r.k);
      return approxResult(await parallel.approx(data, n, d, r.k, params, r.seed, threads));
    }
    return resultFromSortedHeap(await parallel.exact(data, n, d, r.k, threads), 'exact');
  } catch (e) {
    // Workers could not start (e.g. a sandbox without threads): the same search on this thread.
    const r1 = knn(data, n, d, k, options);
    const why = (e as Error)?.message ?? String(e);
    r1.warnings = [`The parallel neighbour search failed (${why}); it ran again on one thread.`];
    return r1;
  }
}

/** Below this many points the exact search is too short to repay starting workers (measured at 2k). */
export const PARALLEL_KNN_MIN_POINTS = 3000;
