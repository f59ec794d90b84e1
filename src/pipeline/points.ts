/** Builds the renderers' PointSet from predictions, with feature-space neighbours and thumbnails. */
import { readFile } from 'node:fs/promises';
import { CancelledError } from '../errors.js';
import { knn } from '../reduce/knn/knn.js';
import { makePixelThumbnail, makeThumbnail } from '../render/thumbnails.js';
import type { PointSet } from '../render/types.js';
import type { ImageSource } from './image-sources.js';
import type { Predictions } from './predictions-table.js';
import type { ProgressListener } from './progress.js';

/** Neighbours shown in a page's side panel. */
export const PAGE_NEIGHBORS = 8;
/** Longest side of an embedded thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 64;

export function featureNeighbors(
  features: Float32Array,
  n: number,
  d: number,
): { k: number; indices: Int32Array } | undefined {
  if (n < 2) return undefined;
  const k = Math.min(PAGE_NEIGHBORS, n - 1);
  const r = knn(features, n, d, k, { seed: 0 });
  return { k, indices: r.indices };
}

export async function thumbnailsFor(
  sources: (ImageSource | null)[],
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<(string | null)[]> {
  const paths = sources;
  const out: (string | null)[] = new Array(paths.length).fill(null);
  const CONCURRENCY = 8;
  let next = 0;
  let done = 0;
  onProgress?.({ stage: 'thumbnails', done: 0, total: paths.length, unit: 'images' });
  const worker = async () => {
    while (next < paths.length) {
      if (signal?.aborted) throw new CancelledError();
      const i = next++;
      out[i] = await thumbnailOf(sources[i]);
      done++;
      if (done % 200 === 0 || done === paths.length)
        onProgress?.({ stage: 'thumbnails', done, total: paths.length, unit: 'images' });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

async function thumbnailOf(source: ImageSource | null): Promise<string | null> {
  if (source === null) return null;
  if ('pixels' in source) return makePixelThumbnail(source.pixels, THUMBNAIL_SIZE);
  if (typeof source.file === 'string') return makeThumbnail(source.file, THUMBNAIL_SIZE);
  // A file name that is not valid UTF-8: read it by its bytes, then decode the image from memory.
  const bytes = await readFile(source.file).catch(() => null);
  return bytes ? makeThumbnail(bytes, THUMBNAIL_SIZE) : null;
}

/**
 * The warning for paths that gave no thumbnail (missing or undecodable files): such points are kept
 * and shown without an image. Null when every path gave one.
 */
export function missingThumbnailsWarning(
  paths: string[],
  thumbnails: (string | null)[],
  root: string,
): string | null {
  const missing = paths.filter((p, i) => p !== '' && thumbnails[i] === null);
  if (missing.length === 0) return null;
  return (
    `${missing.length} of ${paths.length} image paths (relative to ${root}) name no readable image, ` +
    `e.g. ${missing.slice(0, 3).join(', ')}; those points are drawn without a thumbnail.`
  );
}

export function buildPointSet(
  p: Predictions,
  neighbors?: { k: number; indices: Int32Array },
  thumbnails?: (string | null)[],
): PointSet {
  return {
    n: p.paths.length,
    classes: p.classes,
    paths: p.paths,
    labelIds: p.labelIds,
    topIds: p.topIds,
    topConf: p.topConf,
    k: p.k,
    thumbnails,
    neighbors,
    ...(p.domains ? { domains: p.domains } : {}),
  };
}
