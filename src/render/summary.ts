import type { ClassificationSummary, DomainSummary, PointSet } from './types.js';

/**
 * Top-1 and top-k accuracy, per-class accuracy and the confusion matrix (row = true label,
 * column = top-1 prediction). Only points with a known label and a prediction count; with
 * k = 0 or no labels the accuracies are null and the matrix is all zeros.
 */
export function computeClassificationSummary(points: PointSet): ClassificationSummary {
  const c = points.classes.length;
  const k = points.k;
  const confusion = new Int32Array(c * c);
  const count = new Int32Array(c);
  const correct = new Int32Array(c);
  let labelled = 0;
  let top1 = 0;
  let topk = 0;
  if (k > 0) {
    for (let i = 0; i < points.n; i++) {
      const label = points.labelIds[i];
      if (label < 0 || label >= c) continue;
      const pred = points.topIds[i * k];
      labelled++;
      count[label]++;
      if (pred >= 0 && pred < c) confusion[label * c + pred]++;
      if (pred === label) {
        top1++;
        correct[label]++;
      }
      for (let j = 0; j < k; j++) {
        if (points.topIds[i * k + j] === label) {
          topk++;
          break;
        }
      }
    }
  }
  const perClass = Array.from({ length: c }, (_, j) => ({
    count: count[j],
    correct: correct[j],
    accuracy: count[j] > 0 ? correct[j] / count[j] : null,
  }));
  return {
    labelled,
    accuracy: labelled > 0 ? top1 / labelled : null,
    k,
    topKAccuracy: labelled > 0 ? topk / labelled : null,
    perClass,
    confusion,
  };
}

/** Top-1 and top-k accuracy of each domain's points; null when the points have fewer than two domains. */
export function computeDomainSummary(points: PointSet): DomainSummary[] | null {
  const domains = points.domains;
  if (!domains || domains.names.length < 2) return null;
  return domains.names.map((name, d) => {
    const rows: number[] = [];
    for (let i = 0; i < points.n; i++) if (domains.ids[i] === d) rows.push(i);
    const s = computeClassificationSummary(subset(points, rows));
    return { name, n: rows.length, labelled: s.labelled, accuracy: s.accuracy, topKAccuracy: s.topKAccuracy };
  });
}

/** The points at `rows`, with the fields the accuracy needs. */
function subset(points: PointSet, rows: number[]): PointSet {
  const k = points.k;
  const topIds = new Int32Array(rows.length * k);
  rows.forEach((r, j) => topIds.set(points.topIds.subarray(r * k, (r + 1) * k), j * k));
  return {
    n: rows.length,
    classes: points.classes,
    paths: rows.map((r) => points.paths[r]),
    labelIds: Int32Array.from(rows, (r) => points.labelIds[r]),
    topIds,
    topConf: new Float32Array(rows.length * k),
    k,
  };
}
