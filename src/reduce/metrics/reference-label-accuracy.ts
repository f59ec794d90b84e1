/**
 * How well placed points land among their own class: each placed point is labelled by a majority
 * vote of its k nearest reference points in the map and compared with its own label (the placement
 * counterpart of knn-label-accuracy.ts; ties go to the smallest label id there too).
 */
import { queryKnn } from '../knn/query-knn.js';
import { voteAccuracy } from './knn-label-accuracy.js';

/**
 * Fraction of labelled placed points whose k nearest reference points (in the map) mostly carry their
 * label. `labels` holds the reference labels first, then the placed points'; NaN when no placed point
 * has a label.
 */
export function referenceLabelAccuracy(
  referenceMap: Float32Array,
  nRef: number,
  placedMap: Float32Array,
  nPlaced: number,
  dims: number,
  labels: Int32Array,
  k = 10,
): number {
  if (labels.length !== nRef + nPlaced) {
    throw new RangeError(`referenceLabelAccuracy: ${labels.length} labels for ${nRef} + ${nPlaced} points`);
  }
  const g = queryKnn(referenceMap, nRef, placedMap, nPlaced, dims, k, { method: 'exact' });
  // voteAccuracy reads neighbours by query position and labels by point id: the placed points' ids
  // follow the reference ones, and their neighbours are reference ids.
  const queries = Int32Array.from({ length: nPlaced }, (_, i) => nRef + i);
  return voteAccuracy(g.indices, queries, labels, g.k);
}
