/**
 * kNN preservation: the mean, over (query) points, of the fraction of a point's k nearest neighbours in
 * the original space that are also among its k nearest neighbours in the embedding (1 = every
 * neighbourhood kept). Also called "neighbourhood hit" / "k-ary neighbourhood agreement" (e.g. Lee &
 * Verleysen 2009, Q_NX(k)); Euclidean distances, exact neighbours, self excluded.
 */

import { type MetricOptions, selectQueries } from './queries.js';
import { mapNeighbors, queryPass } from './query-pass.js';

export function knnPreservation(
  high: Float32Array,
  n: number,
  d: number,
  low: Float32Array,
  dims: number,
  k = 10,
  options?: MetricOptions,
): number {
  const kk = Math.min(k, n - 1);
  if (kk < 1) throw new RangeError(`knnPreservation: need k >= 1 and n >= 2, got k=${k}, n=${n}`);
  const queries = selectQueries(n, d, options);
  const h = queryPass(high, n, d, queries, kk).neighbors;
  const l = mapNeighbors(low, n, dims, queries, kk);
  return overlapFraction(h, l, queries.length, kk);
}

/** Mean fraction of shared entries between matching rows of two m x k neighbour lists. */
export function overlapFraction(a: Int32Array, b: Int32Array, m: number, k: number): number {
  let shared = 0;
  const set = new Set<number>();
  for (let q = 0; q < m; q++) {
    set.clear();
    for (let t = 0; t < k; t++) set.add(a[q * k + t]);
    for (let t = 0; t < k; t++) if (set.has(b[q * k + t])) shared++;
  }
  return shared / (m * k);
}
