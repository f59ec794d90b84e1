/**
 * Trustworthiness (Venna & Kaski 2001), exactly as sklearn.manifold.trustworthiness defines it:
 *   T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k)
 * where U_k(i) are the embedding's k nearest neighbours of i that are not among its k nearest in the
 * original space, and r(i, j) is j's rank (1 = nearest, self excluded) among i's original-space
 * neighbours. 1 means no false neighbours in the map. Euclidean distances in both spaces. Ties in the
 * original space count as not closer (sklearn's argsort order for exact ties is unspecified).
 * With a query subsample of m points (queries.ts; 'auto' by default, so pass maxQueries: n for the
 * exact value) the sum runs over those and n becomes m in the leading factor's first n only:
 * T = 1 - 2 / (m k (2n - 3k - 1)) * sum over queries.
 */

import { type MetricOptions, selectQueries } from './queries.js';
import { mapNeighbors, queryPass } from './query-pass.js';

export function trustworthiness(
  high: Float32Array,
  n: number,
  d: number,
  low: Float32Array,
  dims: number,
  k = 10,
  options?: MetricOptions,
): number {
  checkK(n, k);
  const queries = selectQueries(n, d, options);
  const lowNeighbors = mapNeighbors(low, n, dims, queries, k);
  return trustworthinessFromLowNeighbors(high, n, d, queries, lowNeighbors, k).value;
}

/**
 * The high-dimensional half of trustworthiness given the embedding's neighbours of each query; also
 * returns the queries' high-dimensional neighbours (same pass), which kNN preservation reuses.
 */
export function trustworthinessFromLowNeighbors(
  high: Float32Array,
  n: number,
  d: number,
  queries: Int32Array,
  lowNeighbors: Int32Array,
  k: number,
): { value: number; highNeighbors: Int32Array } {
  const r = trustworthinessFromCloserCounts(high, n, d, queries, lowNeighbors, k, k);
  return { value: r.value(0), highNeighbors: r.highNeighbors };
}

/**
 * The same for several maps at once: `probes` holds, per query, `p` = k x maps entries (each map's
 * k neighbours in turn), all ranked in one pass over the features; `value(i)` is map i's
 * trustworthiness.
 */
export function trustworthinessFromCloserCounts(
  high: Float32Array,
  n: number,
  d: number,
  queries: Int32Array,
  probes: Int32Array,
  p: number,
  k: number,
): { value: (map: number) => number; highNeighbors: Int32Array } {
  checkK(n, k);
  const { neighbors, closerCounts } = queryPass(high, n, d, queries, k, probes, p);
  const m = queries.length;
  const value = (map: number) => {
    let penalty = 0;
    for (let q = 0; q < m; q++) {
      for (let t = q * p + map * k; t < q * p + map * k + k; t++) {
        const rank = closerCounts![t] + 1;
        if (rank > k) penalty += rank - k;
      }
    }
    return 1 - (2 / (m * k * (2 * n - 3 * k - 1))) * penalty;
  };
  return { value, highNeighbors: neighbors };
}

function checkK(n: number, k: number): void {
  // sklearn raises for k >= n / 2: the normalisation 2n - 3k - 1 is no longer the maximum penalty.
  if (!(Number.isInteger(k) && k >= 1 && k < n / 2)) {
    throw new RangeError(`trustworthiness: k must be an integer in [1, n/2), got k=${k} for n=${n}`);
  }
}
