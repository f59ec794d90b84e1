/**
 * Randomised PCA of wide data with few rows (n <= d, n <= GRAM_MAX_ROWS) on the n x n Gram matrix
 * G = Xc Xc^T instead of on Xc itself: the principal axes are v_i = Xc^T u_i / sqrt(lambda_i) for the
 * top eigenpairs (lambda_i, u_i) of G, whose non-zero eigenvalues are those of Xc^T Xc. G costs one pass
 * of row products over the data (dense-kernels.ts, WebAssembly with SIMD when built); the range finder
 * with power iterations (Halko, Martinsson & Tropp 2011, Algorithm 4.4) then works on n x n products,
 * where on Xc every power iteration is two passes over all n x d values, in scalar code. For a few
 * hundred rows of 4096 features this takes PCA from most of t-SNE's start-up to a small part of it
 * (bench/README.md, 'Where the thresholds come from').
 */
import { denseWorkspace, workspaceDoubles } from '../dense-kernels.js';
import { gaussian, mulberry32 } from '../rng.js';
import { orthonormalizeRows } from './orthonormalize.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Most rows for the Gram route: G takes 8 n^2 bytes and n^2 d / 2 products. */
export const GRAM_MAX_ROWS = 2048;
/** Columns of the data per block of the Gram accumulation. */
const COLUMN_BLOCK = 256;

/** True when randomised PCA of n x d data goes through the Gram matrix. */
export function useGram(n: number, d: number): boolean {
  return n <= d && n <= GRAM_MAX_ROWS;
}

/** The n x n Gram matrix of the centred rows, accumulated over blocks of columns. */
export function centredGram(data: Float32Array, n: number, d: number, mean: Float64Array): Float64Array {
  const nPad = Math.ceil(n / 4) * 4;
  const B = Math.min(COLUMN_BLOCK, d);
  const space = denseWorkspace(workspaceDoubles(nPad * B) + workspaceDoubles(nPad * nPad));
  // Rows n .. nPad stay zero (padding for the kernel's four rows at a time).
  const block = space.array(nPad * B);
  const blockGram = space.array(nPad * nPad);
  const g = new Float64Array(n * n);
  for (let c0 = 0; c0 < d; c0 += B) {
    const w = Math.min(B, d - c0);
    for (let r = 0; r < n; r++) {
      const src = r * d + c0;
      const dst = r * B;
      for (let c = 0; c < w; c++) block[dst + c] = data[src + c] - mean[c0 + c];
      if (w < B) block.fill(0, dst + w, dst + B);
    }
    space.rowProducts(block, block, blockGram, n, nPad, B, nPad, true);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) g[i * n + j] += blockGram[i * nPad + j];
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) g[j * n + i] = g[i * n + j];
  return g;
}

/** Rows of `out` (l x n) = G times the rows of `q` (l x n), G symmetric n x n. */
function gramTimes(g: Float64Array, q: Float64Array, l: number, n: number): Float64Array {
  const out = new Float64Array(l * n);
  for (let j = 0; j < l; j++) {
    const oj = j * n;
    for (let i = 0; i < n; i++) {
      const oi = i * n;
      let s = 0;
      for (let c = 0; c < n; c++) s += g[oi + c] * q[oj + c];
      out[oj + i] = s;
    }
  }
  return out;
}

/** The top-k principal axes (k x d rows) and variances of n x d data, n <= d, through the Gram matrix. */
export function gramAxes(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float64Array,
  k: number,
  r: { seed: number; powerIterations: number; oversamples: number },
): { components: Float64Array; variances: Float64Array } {
  const g = centredGram(data, n, d, mean);
  const l = Math.min(n, k + r.oversamples);
  const rng = mulberry32(r.seed);
  let q: Float64Array = new Float64Array(l * n);
  for (let i = 0; i < q.length; i++) q[i] = gaussian(rng);
  // Range finder, then power iterations, re-orthonormalised after every product.
  for (let it = 0; it <= r.powerIterations; it++) {
    q = gramTimes(g, q, l, n);
    orthonormalizeRows(q, l, n);
  }
  // The l x l problem Q G Q^T.
  const gq = gramTimes(g, q, l, n);
  const t = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += q[i * n + c] * gq[j * n + c];
      t[i * l + j] = s;
      t[j * l + i] = s;
    }
  }
  const eig = symmetricEigen(t, l);
  // Weights of the axes on the rows: w_i = u_i / sqrt(lambda_i), u_i = Q^T e_i (kPad x nPad, zero padded).
  const kPad = Math.ceil(k / 4) * 4;
  const nPad = Math.ceil(n / 4) * 4;
  const B = Math.min(COLUMN_BLOCK, Math.ceil(d / 4) * 4);
  const space = denseWorkspace(
    workspaceDoubles(kPad * nPad) + workspaceDoubles(B * nPad) + workspaceDoubles(kPad * B),
  );
  const weights = space.array(kPad * nPad);
  const variances = new Float64Array(k);
  for (let i = 0; i < Math.min(k, l); i++) {
    const lambda = eig.values[i];
    // Directions with no variance are arbitrary: zero rows (as exact PCA reports them).
    if (!(lambda > 1e-12 * eig.values[0])) continue;
    const scale = 1 / Math.sqrt(lambda);
    for (let j = 0; j < l; j++) {
      const e = eig.vectors[i * l + j] * scale;
      for (let c = 0; c < n; c++) weights[i * nPad + c] += e * q[j * n + c];
    }
    variances[i] = lambda / Math.max(1, n - 1);
  }
  // v_i = Xc^T w_i, a block of columns at a time: the block of Xc transposed (columns as rows of n
  // values) against the weight rows, in the row-products kernel.
  const components = new Float64Array(k * d);
  const columns = space.array(B * nPad);
  const out = space.array(kPad * B);
  for (let c0 = 0; c0 < d; c0 += B) {
    const w = Math.min(B, d - c0);
    for (let c = 0; c < w; c++) {
      const m = mean[c0 + c];
      for (let row = 0; row < n; row++) columns[c * nPad + row] = data[row * d + c0 + c] - m;
    }
    if (w < B) columns.fill(0, w * nPad);
    space.rowProducts(weights, columns, out, kPad, B, nPad, B, false);
    for (let i = 0; i < k; i++) for (let c = 0; c < w; c++) components[i * d + c0 + c] = out[i * B + c];
  }
  // The Ritz vectors make the axes orthogonal already; make each exactly unit length.
  for (let i = 0; i < k; i++) {
    let norm = 0;
    for (let c = 0; c < d; c++) norm += components[i * d + c] ** 2;
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let c = 0; c < d; c++) components[i * d + c] *= inv;
  }
  return { components, variances };
}
