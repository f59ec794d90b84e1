import type { ColorBy, PointSet } from './types.js';

/** A partition of the points into legend entries for one colouring. */
export interface PointGroups {
  colorBy: ColorBy;
  /** Legend names, one per group. */
  names: string[];
  /** Group of each point, length n, values in [0, names.length). */
  groupOf: Int32Array;
  /** Points per group. */
  counts: Int32Array;
}

/** True when the set has true labels for at least one point. */
export function hasLabels(points: PointSet): boolean {
  for (let i = 0; i < points.n; i++) if (points.labelIds[i] >= 0) return true;
  return false;
}

/** True when the points come from two or more domains. */
export function hasDomains(points: PointSet): boolean {
  return (points.domains?.names.length ?? 0) > 1;
}

/** True when the map holds placed points (a reference set and a new set). */
export function hasSets(points: PointSet): boolean {
  return (points.sets?.names.length ?? 0) > 1;
}

/**
 * The colouring that can actually be drawn: 'set' needs placed points, 'domain' needs two or more domains, 'prediction' needs predictions (k > 0), 'correct'
 * needs both predictions and labels, and 'label' needs labels; otherwise fall back in the order
 * label -> prediction, and finally a single "points" group.
 */
export function effectiveColorBy(points: PointSet, wanted: ColorBy): ColorBy {
  if (wanted === 'domain' && hasDomains(points)) return 'domain';
  if (wanted === 'set' && hasSets(points)) return 'set';
  const labels = hasLabels(points);
  const preds = points.k > 0;
  if (wanted === 'correct' && labels && preds) return 'correct';
  if (wanted === 'prediction' && preds) return 'prediction';
  if (labels) return 'label';
  return preds ? 'prediction' : 'label';
}

/**
 * Splits points into groups for `colorBy`. Only classes that have points get a group (for
 * 'prediction': classes predicted top-1 for some point), in class index order, so colours are the
 * same in the figure and the pages; points with no label get a trailing "unlabelled" group, and a
 * set with no labels and no predictions becomes one group named "points".
 */
export function groupPoints(points: PointSet, colorBy: ColorBy): PointGroups {
  const by = effectiveColorBy(points, colorBy);
  const n = points.n;
  const groupOf = new Int32Array(n);
  let names: string[];
  if (by === 'domain' && points.domains) {
    names = [...points.domains.names];
    groupOf.set(points.domains.ids);
  } else if (by === 'set' && points.sets) {
    names = [...points.sets.names];
    groupOf.set(points.sets.ids);
  } else if (by === 'correct') {
    names = ['correct', 'misclassified', 'unlabelled'];
    for (let i = 0; i < n; i++) {
      const label = points.labelIds[i];
      groupOf[i] = label < 0 ? 2 : points.topIds[i * points.k] === label ? 0 : 1;
    }
  } else if (by === 'prediction' && points.k > 0) {
    names = [...points.classes];
    for (let i = 0; i < n; i++) groupOf[i] = points.topIds[i * points.k];
  } else if (!hasLabels(points)) {
    names = ['points'];
  } else {
    names = [...points.classes, 'unlabelled'];
    const unl = points.classes.length;
    for (let i = 0; i < n; i++) groupOf[i] = points.labelIds[i] < 0 ? unl : points.labelIds[i];
  }
  const counts = new Int32Array(names.length);
  for (let i = 0; i < n; i++) counts[groupOf[i]]++;
  if (by === 'correct') {
    // Drop an empty trailing "unlabelled" group so a fully labelled set has exactly two entries.
    if (counts[2] === 0)
      return { colorBy: by, names: names.slice(0, 2), groupOf, counts: counts.slice(0, 2) };
    return { colorBy: by, names, groupOf, counts };
  }
  if (names.length === 1) return { colorBy: by, names, groupOf, counts };
  return dropEmptyGroups(by, names, groupOf, counts);
}

/**
 * Keeps only the groups that have points, in order, as seaborn's legend does: a 1,000-class model
 * on a 100-class test set lists and colours 100 classes. The interactive page's script does the
 * same (src/render/html/client/state.ts).
 */
function dropEmptyGroups(by: ColorBy, names: string[], groupOf: Int32Array, counts: Int32Array): PointGroups {
  const newId = new Int32Array(names.length).fill(-1);
  const kept: number[] = [];
  names.forEach((_, g) => {
    if (counts[g] > 0) newId[g] = kept.push(g) - 1;
  });
  for (let i = 0; i < groupOf.length; i++) groupOf[i] = newId[groupOf[i]];
  return {
    colorBy: by,
    names: kept.map((g) => names[g]),
    groupOf,
    counts: Int32Array.from(kept, (g) => counts[g]),
  };
}
