// Test-local fixtures for the t-SNE tests: seeded Gaussian clusters and a brute-force kNN.
import { gaussian, mulberry32 } from '../../../src/reduce/rng.js';

/** `clusters` well-separated Gaussian blobs in d dims (centres ~N(0, spread^2), unit noise), labels by row. */
export function gaussianClusters(
  n: number,
  d: number,
  clusters: number,
  seed: number,
  spread = 6,
): { data: Float32Array; labels: Int32Array } {
  const rng = mulberry32(seed);
  const centres = new Float64Array(clusters * d);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian(rng) * spread;
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + gaussian(rng);
  }
  return { data, labels };
}

/** Random positions, N(0, scale^2) per coordinate, as float64 (an embedding). */
export function randomPositions(n: number, dims: number, scale: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const y = new Float64Array(n * dims);
  for (let i = 0; i < y.length; i++) y[i] = gaussian(rng) * scale;
  return y;
}

/** Exact k nearest neighbours (self excluded), Euclidean distances, ascending. */
export function bruteKnn(
  data: ArrayLike<number>,
  n: number,
  d: number,
  k: number,
): { indices: Int32Array; distances: Float64Array } {
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2;
      all.push([s, j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < k; t++) {
      indices[i * k + t] = all[t][1];
      distances[i * k + t] = Math.sqrt(all[t][0]);
    }
  }
  return { indices, distances };
}

/** Share of points whose 10 nearest embedding neighbours mostly (> 5) share their label. */
export function knnLabelAccuracy(
  embedding: ArrayLike<number>,
  labels: Int32Array,
  dims: number,
  k = 10,
): number {
  const n = labels.length;
  const { indices } = bruteKnn(embedding, n, dims, k);
  let ok = 0;
  for (let i = 0; i < n; i++) {
    let same = 0;
    for (let t = 0; t < k; t++) if (labels[indices[i * k + t]] === labels[i]) same++;
    if (same > k / 2) ok++;
  }
  return ok / n;
}

/** Relative L2 error of `approx` against `exact`. */
export function relativeError(approx: ArrayLike<number>, exact: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < exact.length; i++) {
    num += (approx[i] - exact[i]) ** 2;
    den += exact[i] ** 2;
  }
  return Math.sqrt(num / den);
}
