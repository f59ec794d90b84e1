/**
 * UMAP (McInnes, Healy & Melville 2018) through `umap-js`, fed with our own neighbour graph (so UMAP and
 * t-SNE can share one kNN computation, and umap-js's own number[][] NN-descent is skipped) and with our
 * seeded generator (so the layout is reproducible: umap-js draws its random initial layout and its
 * negative samples from the `random` option).
 */
import { UMAP } from 'umap-js';
import { UserError } from '../../errors.js';
import { assertMatrix, type Matrix } from '../../matrix.js';
import { type KnnResult, knn } from '../knn/knn.js';
import { pca } from '../pca/pca.js';
import { type ReduceCallbacks, throwIfCancelled } from '../progress.js';
import { mulberry32 } from '../rng.js';

export interface UmapOptions {
  dims: 2 | 3;
  /** Size of the local neighbourhood, the point itself included (umap-learn/umap-js: 15). */
  nNeighbors: number;
  /** Smallest distance between embedded points (umap-learn/umap-js: 0.1). */
  minDist: number;
  /** Scale of embedded points (umap-learn/umap-js: 1). */
  spread: number;
  /** Optimisation epochs; 'auto' = umap-js's rule (500 up to 2,500 points ... 200 above 10,000). */
  nEpochs: number | 'auto';
  seed: number;
  /** Inputs wider than this are first reduced by PCA (as for t-SNE; keeps the kNN cheap). */
  pcaDims: number;
  knnMethod: 'auto' | 'exact' | 'approx';
  /** A neighbour graph computed already (e.g. for t-SNE) with k >= nNeighbors - 1; its first columns are used. */
  knn?: KnnResult;
}

/** What `umap` takes: any settings (the rest from UMAP_DEFAULTS), a signal and a progress callback. */
export interface UmapCallOptions extends Partial<UmapOptions>, ReduceCallbacks {}

export const UMAP_DEFAULTS: Readonly<Omit<UmapOptions, 'knn'>> = Object.freeze({
  dims: 2,
  nNeighbors: 15,
  minDist: 0.1,
  spread: 1,
  nEpochs: 'auto',
  seed: 0,
  pcaDims: 50,
  knnMethod: 'auto',
});

export interface ResolvedUmapOptions {
  dims: 2 | 3;
  nNeighbors: number;
  minDist: number;
  spread: number;
  nEpochs: number;
  seed: number;
  pcaDims: number | null;
  knnMethod: 'auto' | 'exact' | 'approx';
}

export interface UmapResult {
  /** n x dims, row-major. */
  embedding: Float32Array;
  resolved: ResolvedUmapOptions & Record<string, unknown>;
  warnings: string[];
}

/** umap-js `getNEpochs`: 500 epochs up to 2,500 points, 400 to 5,000, 300 to 7,500, then 200. */
export function autoEpochs(n: number): number {
  return n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
}

export function resolveUmapOptions(
  n: number,
  d: number,
  options: Partial<UmapOptions> = {},
): { resolved: ResolvedUmapOptions; warnings: string[] } {
  const dims = options.dims ?? UMAP_DEFAULTS.dims;
  const requested = options.nNeighbors ?? UMAP_DEFAULTS.nNeighbors;
  const minDist = options.minDist ?? UMAP_DEFAULTS.minDist;
  const spread = options.spread ?? UMAP_DEFAULTS.spread;
  const nEpochs = options.nEpochs ?? UMAP_DEFAULTS.nEpochs;
  const seed = options.seed ?? UMAP_DEFAULTS.seed;
  const pcaDims = options.pcaDims ?? UMAP_DEFAULTS.pcaDims;
  const bad = (what: string) => new UserError(`Invalid UMAP option: ${what}.`);
  if (dims !== 2 && dims !== 3) throw bad(`dims must be 2 or 3, got ${dims}`);
  if (!Number.isInteger(requested) || requested < 2)
    throw bad(`nNeighbors must be an integer >= 2, got ${requested}`);
  if (!(minDist >= 0 && minDist <= spread)) throw bad(`minDist must be in [0, spread], got ${minDist}`);
  if (nEpochs !== 'auto' && !(Number.isInteger(nEpochs) && nEpochs >= 1))
    throw bad(`nEpochs must be 'auto' or >= 1`);
  if (!Number.isInteger(seed)) throw bad(`seed must be an integer, got ${seed}`);
  const warnings: string[] = [];
  // umap-js needs more points than neighbours.
  const nNeighbors = Math.max(2, Math.min(requested, n - 1));
  if (nNeighbors !== requested)
    warnings.push(`UMAP: only ${n} points, so nNeighbors is ${nNeighbors}, not ${requested}.`);
  return {
    resolved: {
      dims,
      nNeighbors,
      minDist,
      spread,
      nEpochs: nEpochs === 'auto' ? autoEpochs(n) : nEpochs,
      seed,
      pcaDims: d > pcaDims ? pcaDims : null,
      knnMethod: options.knnMethod ?? UMAP_DEFAULTS.knnMethod,
    },
    warnings,
  };
}

/** Epochs between yields to the event loop (progress, cancellation). */
const YIELD_EVERY = 10;

/**
 * Embeds the rows of `x` in 2 or 3 dimensions. Bad input or options throw a UserError; `signal`
 * cancels with a CancelledError (checked every few epochs).
 */
export async function umap(x: Matrix, options: UmapCallOptions = {}): Promise<UmapResult> {
  assertMatrix(x, 'UMAP input');
  const { data, rows: n, cols: d } = x;
  const { signal, onProgress, ...settings } = options;
  const { resolved, warnings } = resolveUmapOptions(n, d, settings);
  const dims = resolved.dims;
  if (n < 3) throw new UserError(`UMAP needs at least 3 points, got ${n}.`);
  const aborted = () => throwIfCancelled(signal, 'UMAP');
  onProgress?.(0, 'umap:knn');
  let features = data;
  let fd = d;
  if (resolved.pcaDims !== null && !settings.knn) {
    features = Float32Array.from(pca(data, n, d, resolved.pcaDims, { seed: resolved.seed }).projected);
    fd = resolved.pcaDims;
  }
  const k = resolved.nNeighbors - 1;
  let graph = settings.knn;
  if (!graph || graph.k < k) {
    graph = knn(features, n, fd, k, { method: resolved.knnMethod, seed: resolved.seed });
  }
  aborted();
  // umap-learn's graph includes each point as its own nearest neighbour at distance 0.
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const idx = [i];
    const dist = [0];
    for (let t = 0; t < k; t++) {
      idx.push(graph.indices[i * graph.k + t]);
      dist.push(graph.distances[i * graph.k + t]);
    }
    knnIndices.push(idx);
    knnDistances.push(dist);
  }
  const model = new UMAP({
    nComponents: dims,
    nNeighbors: resolved.nNeighbors,
    minDist: resolved.minDist,
    spread: resolved.spread,
    nEpochs: resolved.nEpochs,
    random: mulberry32(resolved.seed),
  });
  model.setPrecomputedKNN(knnIndices, knnDistances);
  // umap-js reads only the number of rows of X once the neighbours are given; rows are still real data.
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(features.subarray(i * fd, i * fd + fd)));
  onProgress?.(0.1, 'umap:graph');
  const epochs = model.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    model.step();
    if (e % YIELD_EVERY === 0) {
      onProgress?.(0.1 + (0.9 * e) / epochs, 'umap:optimise');
      await new Promise<void>((resolve) => setImmediate(resolve));
      aborted();
    }
  }
  const layout = model.getEmbedding();
  const embedding = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) for (let c = 0; c < dims; c++) embedding[i * dims + c] = layout[i][c];
  onProgress?.(1, 'umap:done');
  return {
    embedding,
    resolved: { ...resolved, knnMethod: graph.method, knnShared: !!settings.knn },
    warnings,
  };
}
