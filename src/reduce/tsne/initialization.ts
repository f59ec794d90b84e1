/**
 * Initial t-SNE embeddings. openTSNE (`initialization.pca`, `initialization.random`) starts from the
 * top principal components rescaled so that the first coordinate has standard deviation 1e-4, small
 * enough that early exaggeration, not the start, decides the layout, while PCA keeps the global
 * arrangement (Kobak & Linderman 2021, "Initialization is critical for preserving global data
 * structure in both t-SNE and UMAP", Nat. Biotechnol.).
 */
import { gaussian, mulberry32 } from '../rng.js';

/**
 * Take the first `dims` columns of a PCA projection (n x stride, row-major) and scale them all by one
 * factor so that column 0 has std `std`. Returns null when column 0 has no spread (e.g. all rows
 * equal), where the caller must fall back to a random start.
 */
export function scaledPcaInit(
  projected: Float64Array,
  n: number,
  stride: number,
  dims: number,
  std: number,
): Float64Array | null {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += projected[i * stride];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (projected[i * stride] - mean) ** 2;
  const s = Math.sqrt(v / n);
  if (!(s > 0) || !Number.isFinite(s)) return null;
  const f = std / s;
  const out = new Float64Array(n * dims);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < dims; c++) out[i * dims + c] = projected[i * stride + c] * f;
  return out;
}

/** Independent N(0, std^2) coordinates from a seeded generator (openTSNE `initialization.random`). */
export function randomInit(n: number, dims: number, std: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const out = new Float64Array(n * dims);
  for (let i = 0; i < out.length; i++) out[i] = gaussian(rng) * std;
  return out;
}
