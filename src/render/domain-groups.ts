/**
 * The domain-adaptation figure's encoding (as in Ganin et al. 2016, "Domain-Adversarial Training of
 * Neural Networks", fig. 2, and most papers since): colour = domain, marker = class. Each drawn group
 * is one (domain, class) pair; the legend lists the domains by colour, then the classes by marker.
 */
import { type MarkerShape, markerFor } from './static/markers.js';
import type { PointSet } from './types.js';

/**
 * Domain colours: blue and red first (source and target in most figures), then tab10's others;
 * repeated with a darker shade beyond ten domains.
 */
export const DOMAIN_COLORS: readonly string[] = Object.freeze([
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
]);

/** Colour of the markers in the class half of the legend (the class is the shape, not the colour). */
export const CLASS_KEY_COLOR = '#555555';

export function domainColors(count: number): string[] {
  return Array.from({ length: count }, (_, i) => DOMAIN_COLORS[i % DOMAIN_COLORS.length]);
}

/** The class a point's marker shows: its true label, else its top-1 prediction, else -1 (a circle). */
export function markerClass(points: PointSet, i: number): number {
  const label = points.labelIds[i];
  if (label >= 0) return label;
  return points.k > 0 ? points.topIds[i * points.k] : -1;
}

export interface DomainGroups {
  /** Group of each point: domain * (classes + 1) + (marker class + 1). */
  groupOf: Int32Array;
  colors: string[];
  shapes: MarkerShape[];
  /** Legend: the domains (colour, circle), then the classes that have points (grey, their marker). */
  legend: { name: string; color: string; shape: MarkerShape; count: number }[];
}

export function domainGroups(points: PointSet): DomainGroups {
  const domains = points.domains ?? { names: ['points'], ids: new Int32Array(points.n) };
  const c = points.classes.length;
  const stride = c + 1;
  const palette = domainColors(domains.names.length);
  const groupOf = new Int32Array(points.n);
  const perDomain = new Int32Array(domains.names.length);
  const perClass = new Int32Array(stride);
  for (let i = 0; i < points.n; i++) {
    const cls = markerClass(points, i);
    groupOf[i] = domains.ids[i] * stride + cls + 1;
    perDomain[domains.ids[i]]++;
    perClass[cls + 1]++;
  }
  const colors: string[] = [];
  const shapes: MarkerShape[] = [];
  for (let d = 0; d < domains.names.length; d++) {
    for (let k = -1; k < c; k++) {
      colors.push(palette[d]);
      shapes.push(k < 0 ? 'circle' : markerFor(k));
    }
  }
  const legend = domains.names.map((name, d) => ({
    name,
    color: palette[d],
    shape: 'circle' as MarkerShape,
    count: perDomain[d],
  }));
  for (let k = -1; k < c; k++) {
    if (perClass[k + 1] === 0) continue;
    legend.push({
      name: k < 0 ? 'unknown class' : points.classes[k],
      color: CLASS_KEY_COLOR,
      shape: k < 0 ? 'circle' : markerFor(k),
      count: perClass[k + 1],
    });
  }
  return { groupOf, colors, shapes, legend };
}
