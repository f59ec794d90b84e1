/** Seeded synthetic data shared by the reduce/ tests. */
import { gaussian, mulberry32 } from '../../../src/reduce/rng.js';

/** n points in d dims around `clusters` Gaussian centres (spread `centreScale`), point i in cluster i % clusters. */
export function gaussianClusters(
  n: number,
  d: number,
  clusters: number,
  seed: number,
  centreScale = 10,
  noise = 1,
): { data: Float32Array; labels: Int32Array } {
  const rng = mulberry32(seed);
  const centres = new Float64Array(clusters * d);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian(rng) * centreScale;
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + gaussian(rng) * noise;
  }
  return { data, labels };
}

/** n x d Gaussian data whose column j has standard deviation scales[j]. */
export function scaledGaussian(n: number, scales: number[], seed: number): Float32Array {
  const rng = mulberry32(seed);
  const d = scales.length;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = gaussian(rng) * scales[j] + j;
  return data;
}

/** Share of the reference neighbours (n x k rows) that `a` found. */
export function recall(a: Int32Array, reference: Int32Array, n: number, k: number): number {
  let hit = 0;
  for (let i = 0; i < n; i++) {
    const s = new Set(reference.subarray(i * k, i * k + k));
    for (let j = 0; j < k; j++) if (s.has(a[i * k + j])) hit++;
  }
  return hit / (n * k);
}
