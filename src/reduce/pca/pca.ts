/**
 * Principal component analysis of a row-major n x d float32 matrix: the `pca` embedding method, t-SNE's
 * initialisation, and the pre-reduction of wide features to ~50 dims (docs/architecture.md section 4).
 * Small d: exact eigen-decomposition of the covariance matrix (Jacobi). Large d: randomised PCA
 * (Halko, Martinsson & Tropp 2011, "Finding structure with randomness", Algorithms 4.3/4.4 and 5.3),
 * on the n x n Gram matrix when there are fewer rows than features (gram-pca.ts).
 */

import { denseWorkspace, workspaceDoubles } from '../dense-kernels.js';
import { gaussian, mulberry32 } from '../rng.js';
import { gramAxes, useGram } from './gram-pca.js';
import { orthonormalizeRows } from './orthonormalize.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface PcaOptions {
  /** Seed of the randomised method's Gaussian test matrix. */
  seed?: number;
  /** 'auto': exact when d <= `PCA_DEFAULTS.exactMaxDims`, randomised above. */
  method?: 'auto' | 'exact' | 'randomized';
  /** Power iterations of the randomised method; 'auto' follows scikit-learn's randomized_svd. */
  powerIterations?: number | 'auto';
  /** Extra random directions beyond k (Halko et al. recommend 5-10). */
  oversamples?: number;
}

export const PCA_DEFAULTS = Object.freeze({
  /** Components kept by the public `pca` (pca-embedding.ts); the kernel below takes k itself. */
  components: 2,
  seed: 0,
  method: 'auto' as const,
  /**
   * Covariance + Jacobi costs n d^2 / 2 + ~30 d^3; beyond ~200 dims the d^3 term dominates and the
   * randomised method, O(n d (k + p) (2q + 2)), wins.
   */
  exactMaxDims: 200,
  powerIterations: 'auto' as const,
  oversamples: 10,
});

export interface PcaResult {
  /** n * k: the centred data projected on the top-k components. */
  projected: Float64Array;
  /** k * d: unit principal axes as rows, by descending variance. Rows beyond the data's rank are 0. */
  components: Float64Array;
  /** k: variance along each component (divisor n - 1, as scikit-learn). */
  explainedVariance: Float64Array;
  /** d: the column means the data was centred on (new rows are projected with `projectOnAxes`). */
  mean: Float64Array;
}

/** Resolved PCA settings (the values that go into run.json). */
export function resolvePcaOptions(
  n: number,
  d: number,
  k: number,
  options: PcaOptions = {},
): { method: 'exact' | 'randomized'; seed: number; powerIterations: number; oversamples: number } {
  const method = options.method ?? PCA_DEFAULTS.method;
  const iters = options.powerIterations ?? PCA_DEFAULTS.powerIterations;
  return {
    method: method === 'auto' ? (d <= PCA_DEFAULTS.exactMaxDims ? 'exact' : 'randomized') : method,
    seed: options.seed ?? PCA_DEFAULTS.seed,
    // sklearn.utils.extmath.randomized_svd: 7 iterations when k < 0.1 min(n, d), else 4.
    powerIterations: iters === 'auto' ? (k < 0.1 * Math.min(n, d) ? 7 : 4) : iters,
    oversamples: options.oversamples ?? PCA_DEFAULTS.oversamples,
  };
}

/** The kernel: the top-k principal components of n row-major rows of d values. */
export function pca(data: Float32Array, n: number, d: number, k: number, options?: PcaOptions): PcaResult {
  if (data.length < n * d) throw new Error(`pca: data has ${data.length} values, expected ${n} x ${d}`);
  const r = resolvePcaOptions(n, d, k, options);
  const mean = columnMeans(data, n, d);
  const kk = Math.min(k, d);
  const axes =
    r.method === 'exact'
      ? exactAxes(data, n, d, mean, kk)
      : useGram(n, d)
        ? gramAxes(data, n, d, mean, kk, r)
        : randomizedAxes(data, n, d, mean, kk, r);
  const components = new Float64Array(k * d);
  components.set(axes.components.subarray(0, kk * d));
  fixSigns(components, k, d);
  const explainedVariance = new Float64Array(k);
  explainedVariance.set(axes.variances.subarray(0, kk));
  return { projected: projectOnAxes(data, n, d, mean, components, k), components, explainedVariance, mean };
}

function columnMeans(data: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += data[i * d + c];
  for (let c = 0; c < d; c++) mean[c] /= Math.max(1, n);
  return mean;
}

/** Rows per block of the covariance accumulation and of the projection. */
const ROW_BLOCK = 64;

/**
 * Covariance (divisor n - 1) accumulated in float64, then its eigen-decomposition. Centred rows are
 * taken in blocks of ROW_BLOCK and stored column by column, so the block's contribution to the
 * covariance is the row products of that d x ROW_BLOCK matrix with itself (dense-kernels.ts:
 * WebAssembly with SIMD when built; with the projection below, much faster than the earlier per-row
 * outer products at 70k x 128: bench/README.md).
 */
function exactAxes(data: Float32Array, n: number, d: number, mean: Float64Array, k: number) {
  const cov = new Float64Array(d * d);
  const B = ROW_BLOCK;
  const dPad = Math.ceil(d / 4) * 4;
  const space = denseWorkspace(workspaceDoubles(dPad * B) + workspaceDoubles(dPad * dPad));
  // Rows d .. dPad of the block stay zero (padding for the kernel's four rows at a time).
  const block = space.array(dPad * B);
  const blockCov = space.array(dPad * dPad);
  for (let i0 = 0; i0 < n; i0 += B) {
    const rows = Math.min(B, n - i0);
    for (let r = 0; r < rows; r++) {
      const src = (i0 + r) * d;
      for (let c = 0; c < d; c++) block[c * B + r] = data[src + c] - mean[c];
    }
    if (rows < B) for (let c = 0; c < d; c++) block.fill(0, c * B + rows, c * B + B);
    space.rowProducts(block, block, blockCov, d, dPad, B, dPad, true);
    for (let p = 0; p < d; p++) for (let q = p; q < d; q++) cov[p * d + q] += blockCov[p * dPad + q];
  }
  const denom = Math.max(1, n - 1);
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      cov[p * d + q] /= denom;
      cov[q * d + p] = cov[p * d + q];
    }
  }
  const eig = symmetricEigen(cov, d);
  const variances = eig.values.slice(0, k).map((v) => Math.max(0, v));
  const components = eig.vectors.slice(0, k * d);
  // Directions with no variance are arbitrary; report them as zero rows (documented on PcaResult).
  for (let i = 0; i < k; i++) {
    if (variances[i] <= 1e-12 * variances[0] || variances[i] === 0) {
      components.fill(0, i * d, i * d + d);
      variances[i] = 0;
    }
  }
  return { components, variances };
}

/**
 * Randomised range finder with power iterations (Halko et al. Algorithm 4.4: re-orthonormalising after
 * every product keeps the small singular directions from being lost to rounding), then the exact
 * eigen-decomposition of the small l x l matrix B B^T with B = Q^T Xc.
 */
function randomizedAxes(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float64Array,
  k: number,
  r: { seed: number; powerIterations: number; oversamples: number },
) {
  const l = Math.min(d, n, k + r.oversamples);
  const rng = mulberry32(r.seed);
  // Rows of omega are the l random directions in feature space (d each).
  let z = new Float64Array(l * d);
  for (let i = 0; i < z.length; i++) z[i] = gaussian(rng);
  let q = timesCentred(data, n, d, mean, z, l); // l x n: (Xc z^T)^T
  orthonormalizeRows(q, l, n);
  for (let it = 0; it < r.powerIterations; it++) {
    z = centredTransposeTimes(data, n, d, mean, q, l); // l x d: (Xc^T q^T)^T
    orthonormalizeRows(z, l, d);
    q = timesCentred(data, n, d, mean, z, l);
    orthonormalizeRows(q, l, n);
  }
  const b = centredTransposeTimes(data, n, d, mean, q, l); // l x d: B = Q^T Xc
  const bbt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += b[i * d + c] * b[j * d + c];
      bbt[i * l + j] = s;
      bbt[j * l + i] = s;
    }
  }
  const eig = symmetricEigen(bbt, l);
  // Right singular vectors: v_i = B^T u_i / |B^T u_i|.
  const components = new Float64Array(k * d);
  const variances = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < l; j++) {
      const u = eig.vectors[i * l + j];
      for (let c = 0; c < d; c++) components[i * d + c] += u * b[j * d + c];
    }
    variances[i] = Math.max(0, eig.values[i]) / Math.max(1, n - 1);
  }
  orthonormalizeRows(components, k, d);
  return { components, variances };
}

/**
 * Returns the l x n matrix whose row j is Xc w_j for the rows w_j of `w` (l x d). Row-outer loop order:
 * each data row is read once and stays in cache while all l directions pass over it.
 */
function timesCentred(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float64Array,
  w: Float64Array,
  l: number,
) {
  const shift = new Float64Array(l);
  for (let j = 0; j < l; j++) for (let c = 0; c < d; c++) shift[j] += mean[c] * w[j * d + c];
  const out = new Float64Array(l * n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j < l; j++) {
      const oj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) s += data[oi + c] * w[oj + c];
      out[j * n + i] = s - shift[j];
    }
  }
  return out;
}

/** Returns the l x d matrix whose row j is Xc^T q_j for the rows q_j of `q` (l x n); row-outer as above. */
function centredTransposeTimes(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float64Array,
  q: Float64Array,
  l: number,
) {
  const out = new Float64Array(l * d);
  const totals = new Float64Array(l);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j < l; j++) {
      const w = q[j * n + i];
      if (w === 0) continue;
      totals[j] += w;
      const o = j * d;
      for (let c = 0; c < d; c++) out[o + c] += w * data[oi + c];
    }
  }
  for (let j = 0; j < l; j++) for (let c = 0; c < d; c++) out[j * d + c] -= totals[j] * mean[c];
  return out;
}

/** Makes the largest-|value| entry of each component positive (as scikit-learn's svd_flip on V). */
function fixSigns(components: Float64Array, k: number, d: number): void {
  for (let i = 0; i < k; i++) {
    let best = 0;
    for (let c = 1; c < d; c++)
      if (Math.abs(components[i * d + c]) > Math.abs(components[i * d + best])) best = c;
    if (components[i * d + best] < 0)
      for (let c = 0; c < d; c++) components[i * d + c] = -components[i * d + c];
  }
}

/** Centred rows times the components, in blocks of ROW_BLOCK rows (dense-kernels.ts). */
/** n * k: rows of `data` centred on `mean` and projected on the k axes `comps` (k * d). */
export function projectOnAxes(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float64Array,
  comps: Float64Array,
  k: number,
) {
  const out = new Float64Array(n * k);
  const B = ROW_BLOCK;
  const kPad = Math.ceil(k / 4) * 4;
  const space = denseWorkspace(
    workspaceDoubles(B * d) + workspaceDoubles(kPad * d) + workspaceDoubles(B * kPad),
  );
  const rows = space.array(B * d);
  // Components padded with zero rows to a multiple of 4.
  const c = space.array(kPad * d);
  c.set(comps.subarray(0, k * d));
  const block = space.array(B * kPad);
  for (let i0 = 0; i0 < n; i0 += B) {
    const count = Math.min(B, n - i0);
    for (let r = 0; r < count; r++) {
      const src = (i0 + r) * d;
      for (let col = 0; col < d; col++) rows[r * d + col] = data[src + col] - mean[col];
    }
    space.rowProducts(rows, c, block, count, kPad, d, kPad, false);
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < k; j++) out[(i0 + r) * k + j] = block[r * kPad + j];
    }
  }
  return out;
}
