/**
 * The parts of the page data that the explore tools use (colour by set and by metadata columns):
 * plain JSON arrays, one entry per point, next to the rest of `PageData` (page-data.ts).
 */
import { escapeXml } from '../escape.js';
import { classPalette } from '../static/palette.js';
import type { PointSet } from '../types.js';
import type { BinaryArray } from './page-data.js';

/** Colours of the placed-map sets: the fixed reference in grey, the placed points in a strong orange. */
export const SET_COLORS: Readonly<Record<string, string>> = Object.freeze({
  reference: '#a3a3a3',
  new: '#e8590c',
});
/** Colour of sets with other names (the contract names only 'reference' and 'new'). */
const OTHER_SET_COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];

/**
 * A metadata column as the page reads it: its per-point values are the binary array `array`
 * (float32, NaN = no value, for numbers; int16/int32 ids into `categories`, -1 = no value, for text).
 */
export type PageMetadataColumn =
  | { name: string; kind: 'number'; array: string }
  | {
      name: string;
      kind: 'category';
      /** Distinct values in natural order. */
      categories: string[];
      colors: string[];
      array: string;
    };

export interface ExplorePageData {
  /** Placed maps: set names and their colours (each point's set is the `setIds` array); null otherwise. */
  sets: { names: string[]; colors: string[] } | null;
  /** Columns to colour by, in the metadata file's order (empty without metadata). */
  metadata: PageMetadataColumn[];
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The JSON part of the explore data and its per-point binary arrays (see page-data.ts). */
export function buildExploreData(points: PointSet): {
  json: ExplorePageData;
  arrays: Record<string, BinaryArray>;
} {
  const arrays: Record<string, BinaryArray> = {};
  let sets: ExplorePageData['sets'] = null;
  if (points.sets) {
    const { names, ids } = points.sets;
    arrays.setIds = names.length <= 256 ? Uint8Array.from(ids) : Uint16Array.from(ids);
    sets = {
      names: [...names],
      colors: names.map((name, i) => SET_COLORS[name] ?? OTHER_SET_COLORS[i % OTHER_SET_COLORS.length]),
    };
  }
  const metadata = (points.metadata?.columns ?? []).map((col, j): PageMetadataColumn => {
    const array = `metadata${j}`;
    if (col.kind === 'number') {
      arrays[array] = Float32Array.from(col.values);
      return { name: col.name, kind: 'number', array };
    }
    const categories = [...new Set(col.values.filter((v) => v !== ''))].sort(natural.compare);
    const index = new Map(categories.map((c, i) => [c, i]));
    const ids = Int32Array.from(col.values, (v) => index.get(v) ?? -1);
    arrays[array] = categories.length < 32768 ? Int16Array.from(ids) : ids;
    return { name: col.name, kind: 'category', categories, colors: classPalette(categories.length), array };
  });
  return { json: { sets, metadata }, arrays };
}

/** The colour-by choices beyond the figure's, as `<option>` elements (the page disables what it cannot draw). */
export function exploreColorOptions(points: PointSet): string {
  const options = ['<option value="confidence">confidence (top-1)</option>'];
  if (points.sets) options.push('<option value="set">set (reference / new)</option>');
  for (const col of points.metadata?.columns ?? []) {
    const name = escapeXml(col.name);
    options.push(
      `<option value="metadata:${name}">${name} (${col.kind === 'number' ? 'number' : 'category'})</option>`,
    );
  }
  return options.map((o) => `${o}\n`).join('');
}
