/**
 * The initial t-SNE layout: the first principal components scaled so that column 0 has std 1e-4
 * (openTSNE `initialization.rescale`), or small Gaussian noise.
 */
import { randomInit, scaledPcaInit } from './initialization.js';
import { INITIAL_STD, type ResolvedTsneOptions } from './options.js';

/** PCA start (scaled) or random start; random when PCA has no spread, fresh noise for flat PCA columns. */
export function initialLayout(
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
