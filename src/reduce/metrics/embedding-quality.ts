/**
 * The quality numbers the report and run.json carry for every embedding, computed with shared passes:
 * one over the embedding (its neighbours of each query point) and one over the features (ranks for
 * trustworthiness and the features' own neighbours for kNN preservation).
 */
import { voteAccuracy } from './knn-label-accuracy.js';
import { overlapFraction } from './knn-preservation.js';
import { type MetricOptions, selectMapQueries, selectQueries } from './queries.js';
import { mapNeighbors } from './query-pass.js';
import { trustworthinessFromLowNeighbors } from './trustworthiness.js';

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
  const k = Math.min(10, Math.ceil(n / 2) - 1);
  if (k < 1) throw new RangeError(`embeddingQuality: need at least 3 points, got ${n}`);
  // Trustworthiness and preservation pay for a pass over the features (d dims); label accuracy needs
  // only the map's neighbours (a k-d tree query), so it affords every point.
  const queries = selectQueries(n, d, options);
  const lowNeighbors = mapNeighbors(emb, n, dims, queries, k);
  const trust = trustworthinessFromLowNeighbors(high, n, d, queries, lowNeighbors, k);
  const result: EmbeddingQuality = {
    trustworthiness10: trust.value,
    knnPreservation10: overlapFraction(trust.highNeighbors, lowNeighbors, queries.length, k),
    k,
    queryPoints: queries.length,
  };
  if (labels) {
    if (labels.length !== n)
      throw new RangeError(`embeddingQuality: ${labels.length} labels for ${n} points`);
    const labelQueries = selectMapQueries(n, dims, options);
    const labelNeighbors =
      labelQueries.length === queries.length ? lowNeighbors : mapNeighbors(emb, n, dims, labelQueries, k);
    const accuracy = voteAccuracy(labelNeighbors, labelQueries, labels, k);
    if (!Number.isNaN(accuracy)) result.knnLabelAccuracy10 = accuracy;
    result.labelQueryPoints = labelQueries.length;
  }
  return result;
}
