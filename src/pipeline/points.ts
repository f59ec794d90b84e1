/** Builds the renderers' PointSet from predictions, with feature-space neighbours and thumbnails. */
import { resolve } from 'node:path';
import { CancelledError } from '../errors.js';
import { knn } from '../reduce/knn/knn.js';
import { makeThumbnail } from '../render/thumbnails.js';
import type { PointSet } from '../render/types.js';
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
  root: string,
  paths: string[],
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<(string | null)[]> {
  const out: (string | null)[] = new Array(paths.length).fill(null);
  const CONCURRENCY = 8;
  let next = 0;
  let done = 0;
  onProgress?.({ stage: 'thumbnails', done: 0, total: paths.length, unit: 'images' });
  const worker = async () => {
    while (next < paths.length) {
      if (signal?.aborted) throw new CancelledError();
      const i = next++;
      out[i] = paths[i] ? await makeThumbnail(resolve(root, paths[i]), THUMBNAIL_SIZE) : null;
      done++;
      if (done % 200 === 0 || done === paths.length)
        onProgress?.({ stage: 'thumbnails', done, total: paths.length, unit: 'images' });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
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
  };
}
