/**
 * Leave-one-out k-nearest-neighbour classification accuracy in the embedding: each (query) point is
 * labelled by a majority vote of its k nearest other points and compared with its own label. A common
 * measure of how well a map keeps classes apart (used by openTSNE's and UMAP's benchmarks). Ties in the
 * vote go to the smallest label id, as with scikit-learn's KNeighborsClassifier (argmax of counts).
 */

import { type MetricOptions, selectMapQueries } from './queries.js';
import { mapNeighbors } from './query-pass.js';

export function knnLabelAccuracy(
  low: Float32Array,
  n: number,
  dims: number,
  labels: Int32Array,
  k = 10,
  options?: MetricOptions,
): number {
  if (labels.length !== n) throw new RangeError(`knnLabelAccuracy: ${labels.length} labels for ${n} points`);
  const kk = Math.min(k, n - 1);
  if (kk < 1) throw new RangeError(`knnLabelAccuracy: need k >= 1 and n >= 2, got k=${k}, n=${n}`);
  const queries = selectMapQueries(n, dims, options);
  const neighbors = mapNeighbors(low, n, dims, queries, kk);
  return voteAccuracy(neighbors, queries, labels, kk);
}

/**
 * Fraction of labelled queries whose labelled neighbours' majority label equals their own. Unlabelled
 * points (label < 0: a flat folder, a target domain) neither count as queries nor vote; NaN when no
 * query has a label.
 */
export function voteAccuracy(
  neighbors: Int32Array,
  queries: Int32Array,
  labels: Int32Array,
  k: number,
): number {
  const votes = new Map<number, number>();
  let correct = 0;
  let labelled = 0;
  for (let q = 0; q < queries.length; q++) {
    if (labels[queries[q]] < 0) continue;
    labelled++;
    votes.clear();
    for (let t = 0; t < k; t++) {
      const label = labels[neighbors[q * k + t]];
      if (label >= 0) votes.set(label, (votes.get(label) ?? 0) + 1);
    }
    let best = Number.POSITIVE_INFINITY;
    let bestCount = -1;
    for (const [label, count] of votes) {
      if (count > bestCount || (count === bestCount && label < best)) {
        best = label;
        bestCount = count;
      }
    }
    if (best === labels[queries[q]]) correct++;
  }
  return labelled === 0 ? Number.NaN : correct / labelled;
}
