/**
 * Marker shapes, cycled over classes so that colour is never the only cue. Every shape is a filled
 * outline of "radius" 1 (crosses are thick polygons, not strokes) so SVG, PDF and canvas draw
 * them identically. Sizes are scaled so all shapes cover roughly the area of the unit circle.
 */

export type MarkerShape =
  | 'circle'
  | 'square'
  | 'triangle-up'
  | 'diamond'
  | 'triangle-down'
  | 'plus'
  | 'star'
  | 'x'
  | 'pentagon'
  | 'hexagon'
  | 'triangle-left'
  | 'triangle-right';

/** Cycle order; early entries are the easiest to tell apart at small sizes. */
export const MARKER_SHAPES: readonly MarkerShape[] = Object.freeze([
  'circle',
  'square',
  'triangle-up',
  'diamond',
  'triangle-down',
  'plus',
  'star',
  'x',
  'pentagon',
  'hexagon',
  'triangle-left',
  'triangle-right',
]);

export function markerFor(classIndex: number): MarkerShape {
  return MARKER_SHAPES[classIndex % MARKER_SHAPES.length];
}

function regular(sides: number, rotation: number, radius: number): number[] {
  const pts: number[] = [];
  for (let i = 0; i < sides; i++) {
    const a = rotation + (2 * Math.PI * i) / sides;
    pts.push(radius * Math.cos(a), radius * Math.sin(a));
  }
  return pts;
}

function star(radius: number): number[] {
  const pts: number[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radius : radius * 0.45;
    const a = -Math.PI / 2 + (Math.PI * i) / 5;
    pts.push(r * Math.cos(a), r * Math.sin(a));
  }
  return pts;
}

function plus(radius: number, rotate: boolean): number[] {
  const w = radius * 0.36;
  const r = radius;
  const base = [-w, -r, w, -r, w, -w, r, -w, r, w, w, w, w, r, -w, r, -w, w, -r, w, -r, -w, -w, -w];
  if (!rotate) return base;
  const c = Math.SQRT1_2;
  const out: number[] = [];
  for (let i = 0; i < base.length; i += 2) out.push(c * (base[i] - base[i + 1]), c * (base[i] + base[i + 1]));
  return out;
}

/** Polygon vertices (x0, y0, x1, y1, ...) of a shape with unit-circle-equivalent area, y down; null for circle. */
export function markerPolygon(shape: MarkerShape): number[] | null {
  // Radii chosen so each polygon's area is close to pi (the unit circle), e.g. square side sqrt(pi).
  switch (shape) {
    case 'circle':
      return null;
    case 'square':
      return regular(4, Math.PI / 4, 1.253);
    case 'diamond':
      return regular(4, 0, 1.33);
    case 'triangle-up':
      return regular(3, -Math.PI / 2, 1.555);
    case 'triangle-down':
      return regular(3, Math.PI / 2, 1.555);
    case 'triangle-left':
      return regular(3, Math.PI, 1.555);
    case 'triangle-right':
      return regular(3, 0, 1.555);
    case 'pentagon':
      return regular(5, -Math.PI / 2, 1.15);
    case 'hexagon':
      return regular(6, 0, 1.1);
    case 'star':
      return star(1.6);
    case 'plus':
      return plus(1.45, false);
    case 'x':
      return plus(1.45, true);
  }
}

/** Compact SVG path of a marker centred at (x, y) with size r: absolute start, relative steps. */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  const poly = markerPolygon(shape);
  if (!poly) {
    // Two arcs make a circle inside one path element.
    return `M${fmt(x - r)} ${fmt(y)}a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(2 * r)} 0a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(-2 * r)} 0z`;
  }
  let px = x + poly[0] * r;
  let py = y + poly[1] * r;
  let d = `M${fmt(px)} ${fmt(py)}l`;
  for (let i = 2; i < poly.length; i += 2) {
    const nx = x + poly[i] * r;
    const ny = y + poly[i + 1] * r;
    d += `${i > 2 ? ' ' : ''}${fmt(nx - px)} ${fmt(ny - py)}`;
    px = nx;
    py = ny;
  }
  return `${d}z`;
}

/** Two decimals, no trailing zeros: enough at 300 dpi (0.01 pt = 0.04 px). */
export function fmt(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}
