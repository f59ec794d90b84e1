/** Builds the renderers' PointSet from predictions, with feature-space neighbours and thumbnails. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { CancelledError } from '../errors.js';
import { knnAsync } from '../reduce/knn/knn.js';
import type { TsneAffinities } from '../reduce/tsne/shared-affinities.js';
import { makePixelThumbnail, makeThumbnail } from '../render/thumbnails.js';
import type { PointSet } from '../render/types.js';
import type { ImageSource } from './image-sources.js';
import type { Predictions } from './predictions-table.js';
import type { ProgressListener } from './progress.js';

/** Neighbours shown in a page's side panel. */
export const PAGE_NEIGHBORS = 8;
/** Longest side of an embedded thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 64;

/** How a run's page neighbours were found (run.json `pageNeighbors`). */
export interface PageNeighborsResolved {
  k: number;
  /** The space they are nearest in: 'pca-50' (t-SNE's pre-reduction: the first 50 principal components) or 'features'. */
  space: string;
  /** 'tsne-graph': the first columns of t-SNE's own kNN graph; 'search': a search of their own. */
  from: 'tsne-graph' | 'search';
  method: 'exact' | 'approx';
  threads: number;
}

export interface PageNeighbors {
  k: number;
  indices: Int32Array;
  resolved: PageNeighborsResolved;
}

export interface PageNeighborOptions {
  /** Threads of the neighbour search (default 1; 'auto' = every core). */
  threads?: number | 'auto';
  /** Seed of the PCA and of an approximate search (default 0). */
  seed?: number;
  /**
   * Nearest neighbours found already in the same space, e.g. t-SNE's kNN graph (`TsneAffinities.nearest`),
   * with how they were found; used when they hold at least the page's k per row.
   */
  graph?: { k: number; indices: Int32Array; space: string; method: 'exact' | 'approx'; threads: number };
}

/** t-SNE's kNN graph (kept by `tsneAffinities`) as `pageNeighbors` takes it; undefined without one. */
export function tsneGraph(a: TsneAffinities | undefined): PageNeighborOptions['graph'] {
  if (!a) return undefined;
  const space = a.pcaDims === null ? 'features' : `pca-${a.pcaDims}`;
  return { ...a.nearest, space, method: a.knnMethod, threads: a.threads };
}

/**
 * The neighbours a page lists for each point: its PAGE_NEIGHBORS nearest in feature space. When t-SNE
 * ran, the first columns of its own kNN graph answer it at no cost (nearest after its PCA-50
 * pre-reduction of features wider than 50, `space` 'pca-50'); otherwise a search of their own over the
 * features as they are, with the WebAssembly kernel on `threads` (exact up to the sizes `knn` 'auto'
 * allows, approximate above). The search skips the pre-reduction on purpose: at 5,000 x 4,096 the
 * randomised PCA alone took ~7x the exact search (bench/README.md, section 6).
 * Undefined for fewer than 2 points.
 */
export async function pageNeighbors(
  features: Float32Array,
  n: number,
  d: number,
  options: PageNeighborOptions = {},
): Promise<PageNeighbors | undefined> {
  if (n < 2) return undefined;
  const k = Math.min(PAGE_NEIGHBORS, n - 1);
  const { graph } = options;
  if (graph && graph.k >= k && graph.indices.length === n * graph.k) {
    const indices = new Int32Array(n * k);
    for (let i = 0; i < n; i++) indices.set(graph.indices.subarray(i * graph.k, i * graph.k + k), i * k);
    const { space, method, threads } = graph;
    return { k, indices, resolved: { k, space, from: 'tsne-graph', method, threads } };
  }
  const seed = options.seed ?? 0;
  const threads = options.threads === 'auto' ? availableParallelism() : (options.threads ?? 1);
  const r = await knnAsync(features, n, d, k, { seed, threads });
  return {
    k,
    indices: r.indices,
    resolved: { k, space: 'features', from: 'search', method: r.method, threads },
  };
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
