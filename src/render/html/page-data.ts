import { domainColors } from '../domain-groups.js';
import { effectiveColorBy, groupPoints, hasDomains } from '../groups.js';
import { METHOD_NAMES } from '../static/figure-svg.js';
import { MARKER_SHAPES, type MarkerShape, markerFor, markerPolygon } from '../static/markers.js';
import { CORRECTNESS_COLORS, groupStyles } from '../static/palette.js';
import type { Embedding, PointSet } from '../types.js';
import { buildExploreData, type ExplorePageData } from './explore-data.js';
import { isPageOnlyColorBy, type PageColorBy } from './page-color-by.js';

import { THUMBNAIL_EXT_LIST, THUMBS_PER_FOLDER, thumbnailKind } from './thumbnail-files.js';

/** Element types of the page's binary arrays (little-endian). */
export type BinaryType = 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
export type BinaryArray = Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array;

export type { PageColorBy } from './page-color-by.js';

/**
 * The page data, format "featscope-page" version 2 (docs/architecture.md, "Page data format").
 *
 * The JSON inside `<script type="application/json" id="featscope-data">` holds names, styles and
 * the description of each binary array; every per-point number lives in a binary array: the
 * base64 of its little-endian bytes in `<script type="application/octet-stream"
 * id="featscope-bin-NAME">`, typed and sized by `binary[NAME]`. One entry per point, in
 * predictions.csv order. Base64 binary is 5.3 bytes per 2D point for the map where JSON numbers
 * took about 14, and decodes without a JSON parse of millions of numbers.
 *
 * Binary arrays (absent ones are absent from `binary`):
 * - `coords` uint16, n*dims: quantised map coordinates, x = lo[d] + q / 65535 * (hi[d] - lo[d])
 *   (`coordRange`): 1/65535 of the map's extent, far below a pixel at any useful zoom.
 * - `labels` int16 or int32, n: true label ids, -1 unknown.
 * - `top` int16 or int32, n*k: predicted ids, best first; `conf` uint16, n*k: confidence * 10000.
 * - `neighbors` uint16 or uint32, n*neighbors.k: feature-space nearest neighbours.
 * - `domainIds` uint8 or uint16, n: each point's index into domains.names.
 * - `thumbKinds` uint8, n (thumbnails in a folder only): 0 none, else 1 + index into
 *   THUMBNAIL_EXTENSIONS; point i's file is `<folder>/<floor(i / 1000)>/<i>.<ext>`.
 * - `setIds` uint8, n (placed maps): each point's index into sets.names.
 * - `metadata<j>`, n, for metadata column j: float32 values (NaN = no value) for a number column,
 *   int16 or int32 ids into its categories (-1 = no value) for a category column.
 */
export interface PageData extends ExplorePageData {
  format: 'featscope-page';
  version: 2;
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
  /** Per-dimension bounds of the quantised `coords` array. */
  coordRange: { lo: number[]; hi: number[] };
  paths: string[];
  /**
   * Thumbnails: inline data URIs (null where none), or files in a folder next to the page
   * (`thumbKinds` says which points have one); null without thumbnails.
   */
  thumbs:
    | { mode: 'inline'; uris: (string | null)[] }
    | { mode: 'folder'; folder: string; perFolder: number; extensions: string[] }
    | null;
  /** Feature-space nearest neighbours per point (indices in the `neighbors` array). */
  neighbors: { k: number } | null;
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
   * Several domains: names, their colours, and the marker of each class (colour = domain, marker =
   * class, as in the static figure: domain-groups.ts); each point's domain is in `domainIds`.
   */
  domains: { names: string[]; colors: string[]; markers: MarkerShape[] } | null;
  /** Type and length of each binary array, by name. */
  binary: Record<string, { type: BinaryType; length: number }>;
}

/** The page data and the binary arrays that go next to it. */
export interface PageDataParts {
  data: PageData;
  arrays: Record<string, BinaryArray>;
}

/** Where thumbnails go: inline data URIs, or files in `folder` (relative to the page). */
export type PageThumbnails = 'inline' | { folder: string };

/**
 * Quantises coordinates to uint16 over each dimension's [lo, hi] (the map CSVs keep full precision;
 * the page needs a fraction of a pixel).
 */
export function quantiseCoords(
  coords: Float32Array,
  dims: number,
): { q: Uint16Array; lo: number[]; hi: number[] } {
  const n = coords.length / dims;
  const lo = new Array<number>(dims).fill(Number.POSITIVE_INFINITY);
  const hi = new Array<number>(dims).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) {
      const v = coords[i * dims + d];
      if (v < lo[d]) lo[d] = v;
      if (v > hi[d]) hi[d] = v;
    }
  }
  const q = new Uint16Array(coords.length);
  for (let d = 0; d < dims; d++) {
    if (!(hi[d] >= lo[d])) lo[d] = hi[d] = 0;
    const s = hi[d] > lo[d] ? 65535 / (hi[d] - lo[d]) : 0;
    for (let i = 0; i < n; i++) q[i * dims + d] = Math.round((coords[i * dims + d] - lo[d]) * s);
  }
  return { q, lo, hi };
}

/** The narrowest signed type that holds ids in [-1, max]. */
function signedIds(ids: Int32Array, max: number): Int16Array | Int32Array {
  return max < 32768 ? Int16Array.from(ids) : ids;
}

export function buildPageData(
  points: PointSet,
  embedding: Embedding,
  opts: { colorBy: PageColorBy; title: string; featscopeVersion?: string; thumbnails?: PageThumbnails },
): PageDataParts {
  const shapes: Record<string, number[] | null> = {};
  for (const s of MARKER_SHAPES) {
    const poly = markerPolygon(s);
    shapes[s] = poly ? poly.map((v) => Math.round(v * 1000) / 1000) : null;
  }
  const n = points.n;
  const arrays: Record<string, BinaryArray> = {};
  const { q, lo, hi } = quantiseCoords(embedding.coords, embedding.dims);
  arrays.coords = q;
  arrays.labels = signedIds(points.labelIds, points.classes.length);
  if (points.k > 0) {
    arrays.top = signedIds(points.topIds, points.classes.length);
    const conf = new Uint16Array(points.topConf.length);
    for (let i = 0; i < conf.length; i++)
      conf[i] = Math.round(Math.min(1, Math.max(0, points.topConf[i])) * 10000);
    arrays.conf = conf;
  }
  if (points.neighbors) {
    arrays.neighbors =
      n <= 65536 ? Uint16Array.from(points.neighbors.indices) : Uint32Array.from(points.neighbors.indices);
  }
  const domains = hasDomains(points) ? points.domains! : null;
  if (domains) {
    arrays.domainIds =
      domains.names.length <= 256 ? Uint8Array.from(domains.ids) : Uint16Array.from(domains.ids);
  }
  let thumbs: PageData['thumbs'] = null;
  if (points.thumbnails) {
    const mode = opts.thumbnails ?? 'inline';
    if (mode === 'inline') thumbs = { mode: 'inline', uris: points.thumbnails.map((t) => t ?? null) };
    else {
      const kinds = new Uint8Array(n);
      for (let i = 0; i < n; i++) kinds[i] = thumbnailKind(points.thumbnails[i]) + 1;
      arrays.thumbKinds = kinds;
      thumbs = {
        mode: 'folder',
        folder: mode.folder,
        perFolder: THUMBS_PER_FOLDER,
        extensions: [...THUMBNAIL_EXT_LIST],
      };
    }
  }
  const explore = buildExploreData(points);
  Object.assign(arrays, explore.arrays);
  const binary: PageData['binary'] = {};
  for (const [name, a] of Object.entries(arrays)) binary[name] = { type: binaryType(a), length: a.length };
  const data: PageData = {
    format: 'featscope-page',
    version: 2,
    title: opts.title,
    featscopeVersion: opts.featscopeVersion ?? null,
    method: embedding.method,
    methodName: METHOD_NAMES[embedding.method],
    dims: embedding.dims,
    n,
    k: points.k,
    classes: points.classes,
    colorBy: isPageOnlyColorBy(opts.colorBy) ? opts.colorBy : effectiveColorBy(points, opts.colorBy),
    coordRange: { lo, hi },
    paths: points.paths,
    thumbs,
    neighbors: points.neighbors ? { k: points.neighbors.k } : null,
    styles: {
      label: groupStyles(groupPoints(points, 'label')),
      prediction: groupStyles(groupPoints(points, 'prediction')),
    },
    correctColors: [...CORRECTNESS_COLORS],
    unlabelledColor: '#9a9a9a',
    pointsColor: '#4c72b0',
    shapes,
    domains: domains
      ? {
          names: domains.names,
          colors: domainColors(domains.names.length),
          markers: points.classes.map((_, c) => markerFor(c)),
        }
      : null,
    ...explore.json,
    binary,
  };
  return { data, arrays };
}

export function binaryType(a: BinaryArray): BinaryType {
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Float32Array) return 'float32';
  return 'uint32';
}

/** Base64 of the array's little-endian bytes (byte-swapped on a big-endian host). */
export function binaryBase64(a: BinaryArray): string {
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (a.BYTES_PER_ELEMENT === 1 || new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    return bytes.toString('base64');
  }
  const le = Buffer.from(bytes);
  if (a.BYTES_PER_ELEMENT === 2) le.swap16();
  else le.swap32();
  return le.toString('base64');
}
