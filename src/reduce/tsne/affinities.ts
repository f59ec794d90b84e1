/**
 * Input-space affinities for t-SNE: perplexity-calibrated conditional probabilities over a kNN graph,
 * symmetrised into a sparse joint distribution P (van der Maaten 2014, "Accelerating t-SNE using
 * tree-based algorithms", section 4.1; openTSNE `affinity.PerplexityBasedNN`).
 */

import type { WasmMemory } from '../wasm-modules.js';

/** A square sparse matrix in compressed-sparse-row form. Row i's entries are `cols/vals[rowPtr[i] .. rowPtr[i+1])`. */
export interface CsrMatrix {
  /** Number of rows (and columns). */
  n: number;
  /** n + 1 offsets into `cols` / `vals`. */
  rowPtr: Int32Array;
  /** Column index of every stored entry; unique within a row, in a deterministic (not sorted) order. */
  cols: Int32Array;
  /** float32: P's entries need no more precision, and P is t-SNE's largest array at large N. */
  vals: Float32Array;
  /**
   * The shared WebAssembly memory that rowPtr, cols and vals lie in, when they were built there
   * (attraction-memory.ts): the attraction kernels of every thread read P in place.
   */
  memory?: WasmMemory;
}

/** Entropy tolerance of the per-point search, in nats (openTSNE uses 1e-8, scikit-learn 1e-5). */
export const PERPLEXITY_TOLERANCE = 1e-5;
/**
 * Search steps per point. Each step takes Newton's step on the entropy when it stays inside the
 * bracket found so far (a few steps per point in practice, against ~20 for bisection alone), else
 * doubles beta until the target is bracketed, then bisects: 100 steps cover any scale of squared
 * distances representable in float64 (2^±1024 needs at most ~11 doublings from our scale-aware
 * start) with room for ~50 bisections.
 */
export const PERPLEXITY_MAX_ITERATIONS = 100;

/**
 * Number of neighbours used for a perplexity: 3 * perplexity (van der Maaten 2014, section 4.1:
 * points beyond 3 sigma carry negligible probability), capped at N - 1.
 */
export function neighboursForPerplexity(n: number, perplexity: number): number {
  return Math.max(0, Math.min(n - 1, Math.floor(3 * perplexity)));
}

/**
 * Conditional probabilities p_{j|i} over each point's k neighbours, row-major n x k, each row summing
 * to 1, with a per-point Gaussian precision beta_i chosen so that the row's Shannon entropy (natural
 * log) equals log(perplexity) within `PERPLEXITY_TOLERANCE`.
 *
 * `distances` are Euclidean (not squared), as returned by `knn`. Squared distances are shifted by the
 * row's minimum before exponentiation: this leaves the normalised row unchanged but keeps the nearest
 * neighbour's weight at exactly 1, so far-away rows never underflow to 0/0. When all distances in a row
 * are equal (duplicated points, constant features) every beta gives the uniform row, which is returned
 * as is: the search cannot produce NaN.
 *
 * When the target cannot be reached (entropy is bounded by [0, log k], e.g. perplexity < 1 on tiny
 * inputs, or ties), the row is the closest achievable one after the maximum number of steps.
 */
export function conditionalProbabilities(
  distances: Float32Array | Float64Array,
  n: number,
  k: number,
  perplexity: number,
  out: Float64Array = new Float64Array(n * k),
): Float64Array {
  const target = Math.log(perplexity);
  const d2 = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let minD2 = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const d = distances[base + j];
      d2[j] = d * d;
      if (d2[j] < minD2) minD2 = d2[j];
    }
    let mean = 0;
    for (let j = 0; j < k; j++) {
      d2[j] -= minD2;
      mean += d2[j];
    }
    mean /= k;
    // Start at 1 / mean shifted squared distance: scale-invariant, so the bracket is found in a few steps.
    let beta = mean > 0 ? 1 / mean : 1;
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    for (let iter = 0; iter < PERPLEXITY_MAX_ITERATIONS; iter++) {
      let sum = 0;
      let weighted = 0;
      let weighted2 = 0;
      for (let j = 0; j < k; j++) {
        const w = Math.exp(-beta * d2[j]);
        out[base + j] = w;
        sum += w;
        const wd = w * d2[j];
        weighted += wd;
        weighted2 += wd * d2[j];
      }
      // H = log(sum) + beta * E[d2]  (entropy of the normalised row, in nats); sum >= 1 thanks to the shift.
      const meanD2 = weighted / sum;
      const entropy = Math.log(sum) + beta * meanD2;
      const diff = entropy - target;
      if (Math.abs(diff) <= PERPLEXITY_TOLERANCE || weighted === 0) break;
      // H falls as beta grows: too flat (diff > 0) means a larger beta.
      if (diff > 0) lo = beta;
      else hi = beta;
      // Newton's step (dH/dbeta = -beta Var[d2]) when it stays inside the bracket (at most 4 x beta
      // before there is an upper end), else double or bisect.
      const variance = weighted2 / sum - meanD2 * meanD2;
      const newton = beta + diff / (beta * variance);
      const cap = hi === Number.POSITIVE_INFINITY ? 4 * beta : hi;
      if (variance > 0 && newton > lo && newton < cap) beta = newton;
      else if (diff > 0) beta = hi === Number.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
      else beta = (beta + lo) / 2;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[base + j];
    const inv = 1 / sum;
    for (let j = 0; j < k; j++) out[base + j] *= inv;
  }
  return out;
}

/** Perplexity exp(H) actually reached by each row of a conditional-probability matrix (for tests and diagnostics). */
export function achievedPerplexities(conditional: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < k; j++) {
      const p = conditional[i * k + j];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = Math.exp(h);
  }
  return out;
}

/**
 * Joint probabilities P = (P_cond + P_cond^T) / (2N) as a CSR matrix (van der Maaten 2014, eq. 1
 * with the symmetrisation of section 3). The sum of all entries is 1.
 */
export function symmetrize(conditional: Float64Array, indices: Int32Array, n: number, k: number): CsrMatrix {
  // Row i holds its own k neighbours plus every j that lists i as a neighbour.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    counts[i] += k;
    for (let j = 0; j < k; j++) counts[indices[i * k + j]] += 1;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + counts[i];
  const tmpCols = new Int32Array(start[n]);
  const tmpVals = new Float64Array(start[n]);
  const fill = start.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const col = indices[i * k + j];
      const v = conditional[i * k + j];
      tmpCols[fill[i]] = col;
      tmpVals[fill[i]++] = v;
      tmpCols[fill[col]] = i;
      tmpVals[fill[col]++] = v;
    }
  }
  // Merge duplicates (i lists j and j lists i) row by row with a position marker per column.
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(start[n]);
  const vals = new Float64Array(start[n]);
  const where = new Int32Array(n).fill(-1);
  const scale = 1 / (2 * n);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const rowStart = nnz;
    for (let e = start[i]; e < start[i + 1]; e++) {
      const c = tmpCols[e];
      const at = where[c];
      if (at >= rowStart) {
        vals[at] += tmpVals[e] * scale;
      } else {
        where[c] = nnz;
        cols[nnz] = c;
        vals[nnz++] = tmpVals[e] * scale;
      }
    }
    rowPtr[i + 1] = nnz;
  }
  return { n, rowPtr, cols: cols.slice(0, nnz), vals: Float32Array.from(vals.subarray(0, nnz)) };
}

/**
 * P from a kNN graph in one call: conditional probabilities at `perplexity`, then symmetrised.
 * `indices`/`distances` are n x k row-major (self excluded), Euclidean distances.
 */
export function jointProbabilities(
  indices: Int32Array,
  distances: Float32Array | Float64Array,
  n: number,
  k: number,
  perplexity: number,
): CsrMatrix {
  const conditional = conditionalProbabilities(distances, n, k, perplexity);
  return symmetrize(conditional, indices, n, k);
}
