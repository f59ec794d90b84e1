/**
 * The quality numbers the report and run.json carry for every embedding, computed with shared passes:
 * one over the embedding (its neighbours of each query point) and one over the features (ranks for
 * trustworthiness and the features' own neighbours for kNN preservation).
 */
import { voteAccuracy } from './knn-label-accuracy.js';
import { overlapFraction } from './knn-preservation.js';
import { type MetricOptions, selectMapQueries, selectQueries } from './queries.js';
import { mapNeighbors } from './query-pass.js';
import { trustworthinessFromCloserCounts } from './trustworthiness.js';

export interface EmbeddingQuality {
  /** sklearn's trustworthiness at k = 10 (see trustworthiness.ts). */
  trustworthiness10: number;
  /** Mean fraction of the 10 nearest feature-space neighbours kept in the map. */
  knnPreservation10: number;
  /** Leave-one-out 10-NN label accuracy in the map; only when labels are given. */
  knnLabelAccuracy10?: number;
  /** k actually used: 10, or less for tiny n (trustworthiness needs k < n / 2). */
  k: number;
  /** Points trustworthiness and kNN preservation were averaged over (see queries.ts). */
  queryPoints: number;
  /** Points the label accuracy was averaged over (it needs only the map: all points by default). */
  labelQueryPoints?: number;
}

export function embeddingQuality(
  high: Float32Array,
  n: number,
  d: number,
  emb: Float32Array,
  dims: number,
  labels?: Int32Array | null,
  options?: MetricOptions,
): EmbeddingQuality {
  return embeddingQualities(high, n, d, [{ embedding: emb, dims }], labels, options)[0];
}

/**
 * `embeddingQuality` of several maps of the same features (a 2D and a 3D map) with one pass over
 * the features for all of them: the pass costs O(m n d) for m query points, the maps' own
 * neighbours O(m log n) each, so two maps cost about what one did. Each result equals
 * `embeddingQuality` of that map alone (the same queries, and a probe's rank does not depend on
 * the other probes of its query).
 */
export function embeddingQualities(
  high: Float32Array,
  n: number,
  d: number,
  maps: readonly { embedding: Float32Array; dims: number }[],
  labels?: Int32Array | null,
  options?: MetricOptions,
): EmbeddingQuality[] {
  const k = Math.min(10, Math.ceil(n / 2) - 1);
  if (k < 1) throw new RangeError(`embeddingQuality: need at least 3 points, got ${n}`);
  if (labels && labels.length !== n)
    throw new RangeError(`embeddingQuality: ${labels.length} labels for ${n} points`);
  if (maps.length === 0) return [];
  // Trustworthiness and preservation pay for a pass over the features (d dims); label accuracy needs
  // only the map's neighbours (a k-d tree query), so it affords every point.
  const queries = selectQueries(n, d, options);
  const m = queries.length;
  const lows = maps.map((e) => mapNeighbors(e.embedding, n, e.dims, queries, k));
  // Every map's neighbours of a query are that query's probes: ranked in the one pass.
  const p = k * maps.length;
  const probes = new Int32Array(m * p);
  for (let q = 0; q < m; q++) {
    for (let e = 0; e < maps.length; e++) probes.set(lows[e].subarray(q * k, q * k + k), q * p + e * k);
  }
  const high10 = trustworthinessFromCloserCounts(high, n, d, queries, probes, p, k);
  return maps.map((e, i) => {
    const result: EmbeddingQuality = {
      trustworthiness10: high10.value(i),
      knnPreservation10: overlapFraction(high10.highNeighbors, lows[i], m, k),
      k,
      queryPoints: m,
    };
    if (labels) {
      const labelQueries = selectMapQueries(n, e.dims, options);
      const labelNeighbors =
        labelQueries.length === m ? lows[i] : mapNeighbors(e.embedding, n, e.dims, labelQueries, k);
      const accuracy = voteAccuracy(labelNeighbors, labelQueries, labels, k);
      if (!Number.isNaN(accuracy)) result.knnLabelAccuracy10 = accuracy;
      result.labelQueryPoints = labelQueries.length;
    }
    return result;
  });
}
