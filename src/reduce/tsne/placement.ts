/**
 * New points placed into an existing t-SNE map, which never moves (openTSNE
 * `TSNEEmbedding.prepare_partial` + `transform`; Poličar, Stražar & Zupan 2024, "openTSNE", JMLR,
 * section "Adding new data points"; docs/architecture.md section 4):
 *
 * 1. each new point's k = 3 x perplexity nearest reference points, in the space the map was built in;
 * 2. perplexity-calibrated affinities to those neighbours, each new point's row normalised on its own
 *    (no symmetrisation: the reference points do not see the new ones);
 * 3. each new point starts at the median map position of those neighbours;
 * 4. gradient descent on the new points only: attraction to their reference neighbours, repulsion
 *    from every reference point (Barnes-Hut over a tree built once), normalised per point; new points
 *    do not interact with each other.
 *
 * The defaults are openTSNE's `transform` defaults, listed on PLACEMENT_DEFAULTS.
 */

import { Worker } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import { assertMatrix, type Matrix } from '../../matrix.js';
import { queryKnn, resolveQueryKnnMethod } from '../knn/query-knn.js';
import { workerScript } from '../worker-script.js';
import { conditionalProbabilities } from './affinities.js';
import { DEFAULT_THETA } from './gradient-bh.js';
import { GAIN_DECAY, GAIN_INCREASE } from './gradient-step.js';
import { type FixedRepulsion, ReferenceField2d, ReferenceTree } from './reference-repulsion.js';

export interface PlacementOptions {
  /** Perplexity of the new points' affinities (openTSNE `transform`: 5). Neighbours: 3 x perplexity. */
  perplexity: number;
  /** Iterations of the early-exaggeration phase (openTSNE `transform`: 0, no such phase). */
  earlyExaggerationIterations: number;
  /** Exaggeration of that phase (openTSNE: 4). */
  earlyExaggeration: number;
  /** Momentum of that phase (openTSNE `initial_momentum`: 0.8). */
  momentumEarly: number;
  /** Iterations of the main phase (openTSNE `n_iter`: 250). */
  iterations: number;
  /** Exaggeration of the main phase (openTSNE `exaggeration`: 1.5). */
  exaggeration: number;
  /** Momentum of the main phase (openTSNE `final_momentum`: 0.8). */
  momentum: number;
  /** Step size (openTSNE: 0.1; much smaller than a full run's, which would not converge here). */
  learningRate: number;
  /** Each point's gradient is shortened to this norm (openTSNE `max_grad_norm`: 0.25). */
  maxGradNorm: number;
  /** Floor added to the gains (openTSNE `min_gain`: 0.01). */
  minGain: number;
  /**
   * Repulsion from the reference: 'fft' = the interpolation grid convolved once over the reference
   * (2D only), 'bh' = Barnes-Hut over a tree built once; 'auto' = 'fft' in 2D, 'bh' in 3D (as a full run).
   */
  method: 'auto' | 'bh' | 'fft';
  /** Barnes-Hut accuracy of the repulsion (as the full run: 0.5). */
  theta: number;
  /** Neighbour search (query-knn.ts): 'auto' = exact for small inputs, a random-projection forest above. */
  knnMethod: 'auto' | 'exact' | 'approx';
  /** Seed of the approximate neighbour search. */
  seed: number;
}

export const PLACEMENT_DEFAULTS: Readonly<PlacementOptions> = Object.freeze({
  perplexity: 5,
  earlyExaggerationIterations: 0,
  earlyExaggeration: 4,
  momentumEarly: 0.8,
  iterations: 250,
  exaggeration: 1.5,
  momentum: 0.8,
  learningRate: 0.1,
  maxGradNorm: 0.25,
  minGain: 0.01,
  method: 'auto',
  theta: DEFAULT_THETA,
  knnMethod: 'auto',
  seed: 0,
});

/** Guards the gradient-norm division (openTSNE: 1e-6). */
const NORM_EPSILON = 1e-6;

export interface ResolvedPlacementOptions extends PlacementOptions {
  /** Neighbours per new point: min(reference points, floor(3 x perplexity)). */
  k: number;
  knnMethod: 'exact' | 'approx';
  method: 'bh' | 'fft';
}

export interface PlacementResult {
  /** New points x dims, row-major: the new points' map positions. */
  embedding: Float32Array;
  /** The new points' nearest reference points (nNew x k, by distance), for callers that want them. */
  neighbors: { k: number; indices: Int32Array };
  resolved: ResolvedPlacementOptions;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new UserError(`Invalid placement option: ${what}.`, 2);
}

/** Merge with the defaults and validate. */
export function resolvePlacementOptions(
  nRef: number,
  options: Partial<PlacementOptions> = {},
  dims: 2 | 3,
): Omit<ResolvedPlacementOptions, 'knnMethod'> & { knnMethod: PlacementOptions['knnMethod'] } {
  const o: PlacementOptions = { ...PLACEMENT_DEFAULTS };
  for (const key of Object.keys(PLACEMENT_DEFAULTS) as (keyof PlacementOptions)[]) {
    const v = options[key];
    if (v !== undefined) (o as unknown as Record<string, unknown>)[key] = v;
  }
  check(Number.isFinite(o.perplexity) && o.perplexity > 0, `perplexity must be > 0, got ${o.perplexity}`);
  for (const key of ['iterations', 'earlyExaggerationIterations'] as const) {
    check(Number.isInteger(o[key]) && o[key] >= 0, `${key} must be a whole number >= 0, got ${o[key]}`);
  }
  for (const key of [
    'earlyExaggeration',
    'exaggeration',
    'learningRate',
    'maxGradNorm',
    'momentum',
    'momentumEarly',
  ] as const) {
    check(Number.isFinite(o[key]) && o[key] >= 0, `${key} must be a number >= 0, got ${o[key]}`);
  }
  check(Number.isFinite(o.theta) && o.theta >= 0, `theta must be >= 0, got ${o.theta}`);
  check(['auto', 'bh', 'fft'].includes(o.method), `method must be auto, bh or fft, got ${o.method}`);
  check(!(o.method === 'fft' && dims === 3), 'the FFT method is 2D only; use bh for a 3D map');
  check(['auto', 'exact', 'approx'].includes(o.knnMethod), `knnMethod must be auto, exact or approx`);
  check(Number.isInteger(o.seed), `seed must be an integer, got ${o.seed}`);
  const method = o.method === 'auto' ? (dims === 2 ? 'fft' : 'bh') : o.method;
  return { ...o, method, k: Math.max(1, Math.min(nRef, Math.floor(3 * o.perplexity))) };
}

/**
 * Places the rows of `newFeatures` into the map `referenceMap` of the rows of `referenceFeatures`.
 * Both feature matrices must be in the space the map was built in (for a t-SNE map of wide features:
 * the reference's PCA projection, see place.ts). The reference map is only read.
 */
export function placeNewPoints(
  referenceFeatures: Matrix,
  referenceMap: Matrix,
  newFeatures: Matrix,
  options: Partial<PlacementOptions> = {},
): PlacementResult {
  assertMatrix(referenceFeatures, 'reference features');
  assertMatrix(referenceMap, 'reference map');
  assertMatrix(newFeatures, 'new features');
  const nRef = referenceFeatures.rows;
  const d = referenceFeatures.cols;
  const n = newFeatures.rows;
  const dims = referenceMap.cols;
  if (dims !== 2 && dims !== 3)
    throw new UserError(`The reference map must be 2D or 3D, got ${dims} columns.`);
  if (referenceMap.rows !== nRef) {
    throw new UserError(
      `The reference map has ${referenceMap.rows} rows but the reference features ${nRef}; they must describe the same points.`,
    );
  }
  if (newFeatures.cols !== d) {
    throw new UserError(
      `The new features have ${newFeatures.cols} columns but the reference features ${d}; ` +
        'place features of the same model and layer as the reference map.',
    );
  }
  if (nRef < 1) throw new UserError('The reference map has no points to place new points against.');
  const base = resolvePlacementOptions(nRef, options, dims);

  // 1-2. Neighbours among the reference points and their affinities (rows sum to 1).
  const graph = queryKnn(referenceFeatures.data, nRef, newFeatures.data, n, d, base.k, {
    method: base.knnMethod,
    seed: base.seed,
  });
  const resolved: ResolvedPlacementOptions = { ...base, knnMethod: graph.method };
  const k = graph.k;
  const p = conditionalProbabilities(graph.distances, n, k, Math.min(base.perplexity, k));

  // 3. Start at the median position of the neighbours.
  const ref = Float64Array.from(referenceMap.data.subarray(0, nRef * dims));
  const y = medianPositions(ref, dims, graph.indices, n, k);

  // 4. Optimise the new points only.
  const repulsion: FixedRepulsion =
    base.method === 'fft' ? new ReferenceField2d(ref, nRef) : new ReferenceTree(ref, nRef, dims, base.theta);
  optimise(y, n, dims, ref, graph.indices, p, k, repulsion, resolved);
  return {
    embedding: Float32Array.from(y),
    neighbors: { k, indices: graph.indices },
    resolved,
  };
}

/** Per-coordinate median of each point's neighbours' positions (openTSNE `initialization.median`). */
export function medianPositions(
  ref: Float64Array,
  dims: number,
  indices: Int32Array,
  n: number,
  k: number,
): Float64Array {
  const y = new Float64Array(n * dims);
  const values = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < dims; c++) {
      for (let j = 0; j < k; j++) values[j] = ref[indices[i * k + j] * dims + c];
      values.sort();
      y[i * dims + c] = k % 2 === 1 ? values[k >> 1] : (values[k / 2 - 1] + values[k / 2]) / 2;
    }
  }
  return y;
}

/**
 * openTSNE's gradient descent for new points: attraction exaggeration * sum_j p_ij w_ij (y_i - r_j)
 * minus the normalised repulsion, the gradient clipped to `maxGradNorm` per point, then momentum and
 * gains. No re-centring: the new points live in the reference map's frame.
 */
function optimise(
  y: Float64Array,
  n: number,
  dims: 2 | 3,
  ref: Float64Array,
  indices: Int32Array,
  p: Float64Array,
  k: number,
  repulsion: FixedRepulsion,
  o: ResolvedPlacementOptions,
): void {
  const size = n * dims;
  const update = new Float64Array(size);
  const gains = new Float64Array(size).fill(1);
  const rep = new Float64Array(size);
  const grad = new Float64Array(dims);
  const moved = new Uint8Array(n);
  const total = o.earlyExaggerationIterations + o.iterations;
  for (let it = 0; it < total; it++) {
    const early = it < o.earlyExaggerationIterations;
    const exaggeration = early ? o.earlyExaggeration : o.exaggeration;
    const momentum = early ? o.momentumEarly : o.momentum;
    repulsion.forces(y, n, rep);
    for (let i = 0; i < n; i++) {
      const yi = i * dims;
      if (dims === 2) attraction2d(y, yi, ref, indices, p, i * k, k, exaggeration, rep, grad);
      else {
        for (let c = 0; c < dims; c++) grad[c] = -rep[yi + c];
        for (let j = 0; j < k; j++) {
          const r = indices[i * k + j] * dims;
          let d2 = 0;
          for (let c = 0; c < dims; c++) {
            const t = y[yi + c] - ref[r + c];
            d2 += t * t;
          }
          const a = (exaggeration * p[i * k + j]) / (1 + d2);
          for (let c = 0; c < dims; c++) grad[c] += a * (y[yi + c] - ref[r + c]);
        }
      }
      let norm = 0;
      for (let c = 0; c < dims; c++) norm += grad[c] * grad[c];
      norm = Math.sqrt(norm);
      const clip = o.maxGradNorm / (norm + NORM_EPSILON);
      if (clip < 1) for (let c = 0; c < dims; c++) grad[c] *= clip;
      for (let c = 0; c < dims; c++) {
        const at = yi + c;
        const u = update[at];
        const g =
          Math.sign(grad[c]) !== Math.sign(u)
            ? gains[at] + GAIN_INCREASE
            : gains[at] * GAIN_DECAY + o.minGain;
        gains[at] = g;
        update[at] = momentum * u - o.learningRate * g * grad[c];
      }
    }
    // Every gradient is computed from the same positions before any point moves.
    for (let t = 0; t < size; t++) y[t] += update[t];
    // A point pushed off the interpolation grid stays on its edge and loses its momentum.
    repulsion.confine(y, n, moved);
    for (let i = 0; i < n; i++) if (moved[i]) update.fill(0, i * dims, i * dims + dims);
  }
}

/**
 * The loop of `optimise` above for one 2D point (at `yi`), unrolled: the same operations in the same
 * order, so the same gradient. The first `k` neighbours' entries start at `at` in `indices` and `p`.
 */
function attraction2d(
  y: Float64Array,
  yi: number,
  ref: Float64Array,
  indices: Int32Array,
  p: Float64Array,
  at: number,
  k: number,
  exaggeration: number,
  rep: Float64Array,
  grad: Float64Array,
): void {
  const y0 = y[yi];
  const y1 = y[yi + 1];
  let g0 = -rep[yi];
  let g1 = -rep[yi + 1];
  for (let j = at; j < at + k; j++) {
    const r = 2 * indices[j];
    const t0 = y0 - ref[r];
    const t1 = y1 - ref[r + 1];
    const a = (exaggeration * p[j]) / (1 + (t0 * t0 + t1 * t1));
    g0 += a * t0;
    g1 += a * t1;
  }
  grad[0] = g0;
  grad[1] = g1;
}

/**
 * Below this many new points the placement stays on one thread (starting workers costs more).
 */
export const PARALLEL_PLACEMENT_MIN_POINTS = 2000;

/**
 * `placeNewPoints` on several threads: new points do not interact, so each thread places its own
 * share of them, whole (neighbours, affinities, optimisation) against the same reference; the
 * neighbour forest and the repulsion grid are built from the same seed in every thread, so the result
 * does not depend on the thread count. When the workers cannot start, everything runs on this thread
 * and the result says so in `warnings`.
 */
export async function placeNewPointsParallel(
  referenceFeatures: Matrix,
  referenceMap: Matrix,
  newFeatures: Matrix,
  options: Partial<PlacementOptions> & { threads?: number } = {},
): Promise<PlacementResult & { threads: number; warnings: string[] }> {
  const { threads: requested = 1, ...rest } = options;
  const n = newFeatures.rows;
  // 'auto' neighbour search resolved for all the new points, so that every share searches alike.
  const placement = {
    ...rest,
    knnMethod: resolveQueryKnnMethod(n, referenceFeatures.rows, newFeatures.cols, rest.knnMethod),
  };
  const threads = n >= PARALLEL_PLACEMENT_MIN_POINTS ? Math.max(1, Math.min(requested, 16)) : 1;
  if (threads === 1)
    return {
      ...placeNewPoints(referenceFeatures, referenceMap, newFeatures, placement),
      threads,
      warnings: [],
    };
  // Validate (and resolve) once here, so that bad input fails on this thread with a UserError.
  resolvePlacementOptions(referenceFeatures.rows, placement, referenceMap.cols as 2 | 3);
  const d = newFeatures.cols;
  const dims = referenceMap.cols;
  const shared = (a: Float32Array) => {
    const s = new Float32Array(new SharedArrayBuffer(4 * a.length));
    s.set(a);
    return s;
  };
  const refFeatures = shared(referenceFeatures.data.subarray(0, referenceFeatures.rows * d));
  const refMap = shared(referenceMap.data.subarray(0, referenceMap.rows * dims));
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.floor((n * t) / threads));
  const share = (t: number): Matrix => ({
    data: newFeatures.data.subarray(bounds[t] * d, bounds[t + 1] * d),
    rows: bounds[t + 1] - bounds[t],
    cols: d,
  });
  try {
    const { script, isEval } = workerScript(import.meta.url, 'placement-worker');
    const parts = Array.from({ length: threads - 1 }, (_, w) => {
      const part = share(w + 1);
      return new Promise<{ embedding: Float32Array; indices: Int32Array }>((resolve, reject) => {
        const worker = new Worker(script, {
          eval: isEval,
          workerData: {
            refFeatures,
            refMap,
            newFeatures: Float32Array.from(part.data),
            nRef: referenceFeatures.rows,
            d,
            dims,
            n: part.rows,
            options: placement,
          },
        });
        worker.once('message', (m) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    });
    // Let the workers start before this thread places its own share.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const first = placeNewPoints(
      { data: refFeatures, rows: referenceFeatures.rows, cols: d },
      { data: refMap, rows: referenceMap.rows, cols: dims },
      share(0),
      placement,
    );
    const others = await Promise.all(parts);
    const k = first.neighbors.k;
    const embedding = new Float32Array(n * dims);
    const indices = new Int32Array(n * k);
    embedding.set(first.embedding);
    indices.set(first.neighbors.indices);
    others.forEach((r, w) => {
      embedding.set(r.embedding, bounds[w + 1] * dims);
      indices.set(r.indices, bounds[w + 1] * k);
    });
    return { embedding, neighbors: { k, indices }, resolved: first.resolved, threads, warnings: [] };
  } catch (e) {
    const r = placeNewPoints(referenceFeatures, referenceMap, newFeatures, placement);
    const why = (e as Error)?.message ?? String(e);
    return {
      ...r,
      threads: 1,
      warnings: [`The placement's worker threads failed (${why}); it ran again on one thread.`],
    };
  }
}
