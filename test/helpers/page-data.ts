import { readFileSync } from 'node:fs';
import { type PageData, readPageData } from '../../src/render/index.js';

/**
 * A page's data with the per-point binary arrays as plain number arrays, and the inline thumbnail
 * URIs as `thumbs` (null without thumbnails or with a thumbnail folder).
 */
export type PlainPageData = Omit<PageData, 'thumbs'> & {
  thumbs: (string | null)[] | null;
  thumbMode: 'inline' | 'folder' | null;
  labels: number[];
  top: number[];
  coords: number[];
  arrays: Record<string, number[]>;
};

export function pageDataOf(html: string): PlainPageData {
  const { data, arrays } = readPageData(html);
  const plain: Record<string, number[]> = {};
  for (const [name, a] of Object.entries(arrays)) plain[name] = Array.from(a);
  const { lo, hi } = data.coordRange;
  const coords = (plain.coords ?? []).map(
    (q, j) => lo[j % data.dims] + (q / 65535) * (hi[j % data.dims] - lo[j % data.dims]),
  );
  return {
    ...data,
    thumbs: data.thumbs?.mode === 'inline' ? data.thumbs.uris : null,
    thumbMode: data.thumbs?.mode ?? null,
    labels: plain.labels ?? [],
    top: plain.top ?? [],
    coords,
    arrays: plain,
  };
}

export function pageDataFile(file: string): PlainPageData {
  return pageDataOf(readFileSync(file, 'utf8'));
}
