import { domainColors } from '../domain-groups.js';
import { effectiveColorBy, groupPoints, hasDomains } from '../groups.js';
import { METHOD_NAMES } from '../static/figure-svg.js';
import { MARKER_SHAPES, type MarkerShape, markerFor, markerPolygon } from '../static/markers.js';
import { CORRECTNESS_COLORS, groupStyles } from '../static/palette.js';
import type { Embedding, PointSet } from '../types.js';
import { buildExploreData, type ExplorePageData } from './explore-data.js';
import { isPageOnlyColorBy, type PageColorBy } from './page-color-by.js';

export type { PageColorBy } from './page-color-by.js';

/**
 * The JSON inside `<script type="application/json" id="featscope-data">` (format
 * "featscope-page", version 1). Flat arrays, one entry per point in predictions.csv order, so
 * the page size is linear in N and other tools can read it back with one JSON.parse.
 */
export interface PageData extends ExplorePageData {
  format: 'featscope-page';
  version: 1;
  title: string;
  featscopeVersion: string | null;
  method: Embedding['method'];
  methodName: string;
  dims: 2 | 3;
  n: number;
  /** Top-k kept per point (0 when there are no predictions). */
  k: number;
  classes: string[];
  /** The colouring the page opens with: a ColorBy, or one of the explore colourings (see PageColorBy). */
  colorBy: PageColorBy;
  /** n*dims map coordinates, rounded to about 4 significant digits of the map's extent. */
  coords: number[];
  paths: string[];
  /** True label ids, -1 unknown. */
  labels: number[];
  /** n*k predicted ids, best first, and their confidences rounded to 3 decimals. */
  top: number[];
  conf: number[];
  /** Thumbnail data URIs, or null where none (the whole field is null without thumbnails). */
  thumbs: (string | null)[] | null;
  /** Feature-space nearest neighbours: n*k point indices. */
  neighbors: { k: number; indices: number[] } | null;
  /**
   * Colour and marker of each legend entry when colouring by label and by prediction: only the
   * classes that have points, in class index order (plus "unlabelled" last when some labels are
   * missing), exactly as the static figure draws them.
   */
  styles: Record<'label' | 'prediction', { colors: string[]; shapes: MarkerShape[] }>;
  correctColors: string[];
  unlabelledColor: string;
  pointsColor: string;
  /** The outline of each marker shape (null = circle). */
  shapes: Record<string, number[] | null>;
  /**
   * Several domains: names, each point's index into them, their colours, and the marker of each
   * class (colour = domain, marker = class, as in the static figure: domain-groups.ts); null otherwise.
   */
  domains: { names: string[]; ids: number[]; colors: string[]; markers: MarkerShape[] } | null;
}

/**
 * Rounds coordinates to a fixed number of decimals chosen from the largest magnitude, so every
 * value keeps ~4 significant digits relative to the map's size (1e-4 of the extent is far
 * below a pixel at any useful zoom) and JSON stays short.
 */
export function roundCoords(coords: Float32Array): number[] {
  let maxAbs = 0;
  for (let i = 0; i < coords.length; i++) maxAbs = Math.max(maxAbs, Math.abs(coords[i]));
  const decimals = maxAbs > 0 ? Math.max(0, Math.min(12, 4 - Math.ceil(Math.log10(maxAbs)))) : 0;
  const f = 10 ** decimals;
  const out = new Array<number>(coords.length);
  for (let i = 0; i < coords.length; i++) out[i] = Math.round(coords[i] * f) / f;
  return out;
}

export function buildPageData(
  points: PointSet,
  embedding: Embedding,
  opts: { colorBy: PageColorBy; title: string; featscopeVersion?: string },
): PageData {
  const shapes: Record<string, number[] | null> = {};
  for (const s of MARKER_SHAPES) {
    const poly = markerPolygon(s);
    shapes[s] = poly ? poly.map((v) => Math.round(v * 1000) / 1000) : null;
  }
  const conf = new Array<number>(points.topConf.length);
  for (let i = 0; i < conf.length; i++) conf[i] = Math.round(points.topConf[i] * 1000) / 1000;
  return {
    format: 'featscope-page',
    version: 1,
    title: opts.title,
    featscopeVersion: opts.featscopeVersion ?? null,
    method: embedding.method,
    methodName: METHOD_NAMES[embedding.method],
    dims: embedding.dims,
    n: points.n,
    k: points.k,
    classes: points.classes,
    colorBy: isPageOnlyColorBy(opts.colorBy) ? opts.colorBy : effectiveColorBy(points, opts.colorBy),
    coords: roundCoords(embedding.coords),
    paths: points.paths,
    labels: Array.from(points.labelIds),
    top: Array.from(points.topIds),
    conf,
    thumbs: points.thumbnails ? points.thumbnails.map((t) => t ?? null) : null,
    neighbors: points.neighbors
      ? { k: points.neighbors.k, indices: Array.from(points.neighbors.indices) }
      : null,
    styles: {
      label: groupStyles(groupPoints(points, 'label')),
      prediction: groupStyles(groupPoints(points, 'prediction')),
    },
    correctColors: [...CORRECTNESS_COLORS],
    unlabelledColor: '#9a9a9a',
    pointsColor: '#4c72b0',
    shapes,
    domains: hasDomains(points)
      ? {
          names: points.domains!.names,
          ids: Array.from(points.domains!.ids),
          colors: domainColors(points.domains!.names.length),
          markers: points.classes.map((_, c) => markerFor(c)),
        }
      : null,
    ...buildExploreData(points),
  };
}
