/**
 * The parts of the page data that the explore tools use (colour by set and by metadata columns):
 * plain JSON arrays, one entry per point, next to the rest of `PageData` (page-data.ts).
 */
import { escapeXml } from '../escape.js';
import { classPalette } from '../static/palette.js';
import type { PointSet } from '../types.js';

/** Colours of the placed-map sets: the fixed reference in grey, the placed points in a strong orange. */
export const SET_COLORS: Readonly<Record<string, string>> = Object.freeze({
  reference: '#a3a3a3',
  new: '#e8590c',
});
/** Colour of sets with other names (the contract names only 'reference' and 'new'). */
const OTHER_SET_COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];

/** A metadata column as the page reads it. */
export type PageMetadataColumn =
  | { name: string; kind: 'number'; values: (number | null)[] }
  | {
      name: string;
      kind: 'category';
      /** Distinct values in natural order; `ids` index into them, -1 where a point has no value. */
      categories: string[];
      ids: number[];
      colors: string[];
    };

export interface ExplorePageData {
  /** Placed maps: set names, each point's index into them, and their colours; null otherwise. */
  sets: { names: string[]; ids: number[]; colors: string[] } | null;
  /** Columns to colour by, in the metadata file's order (empty without metadata). */
  metadata: PageMetadataColumn[];
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Numbers keep ~6 significant digits: far below what a colour can show, and JSON stays short. */
function roundValue(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : null;
}

export function buildExploreData(points: PointSet): ExplorePageData {
  const sets = points.sets
    ? {
        names: [...points.sets.names],
        ids: Array.from(points.sets.ids),
        colors: points.sets.names.map(
          (name, i) => SET_COLORS[name] ?? OTHER_SET_COLORS[i % OTHER_SET_COLORS.length],
        ),
      }
    : null;
  const metadata: PageMetadataColumn[] = (points.metadata?.columns ?? []).map((col) => {
    if (col.kind === 'number')
      return { name: col.name, kind: 'number', values: Array.from(col.values, roundValue) };
    const categories = [...new Set(col.values.filter((v) => v !== ''))].sort(natural.compare);
    const index = new Map(categories.map((c, i) => [c, i]));
    return {
      name: col.name,
      kind: 'category',
      categories,
      ids: col.values.map((v) => index.get(v) ?? -1),
      colors: classPalette(categories.length),
    };
  });
  return { sets, metadata };
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
