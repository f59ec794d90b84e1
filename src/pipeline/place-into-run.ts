/**
 * `--reference REF_OUT` for `reduce` and `run`: new points (features, and their labels, predictions
 * and images when known) placed into the maps of a reference run. Returns the combined points (the
 * reference's, then the new ones, with `sets`) and the placed maps, written as tables in `outDir`;
 * the caller draws and records them like any other maps.
 */
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { PointSet } from '../render/types.js';
import { fileSources, type ImageSource, recordedImageSources } from './image-sources.js';
import { combinePoints, placeIntoReference, pointLabels } from './placement-stage.js';
import { pageNeighbors, thumbnailsFor } from './points.js';
import type { StageControl } from './progress.js';
import type { EmbeddingOutput, Method } from './reduce-stage.js';
import type { ReferenceRun } from './reference-run.js';

export interface PlaceIntoRunJob extends StageControl {
  outDir: string;
  reference: ReferenceRun;
  /** Where the new features come from, for messages (e.g. NEW.npy). */
  source: string;
  features: Matrix;
  featuresHash: string;
  /** The new points (labels, predictions, paths; thumbnails are added here). */
  points: PointSet;
  /** The new points' images, for thumbnails; null when unknown. */
  sources: (ImageSource | null)[] | null;
  /** --method / --dims when given on the command line (null: every map of the reference that can take points). */
  methods: Method[] | null;
  dims: (2 | 3)[] | null;
  thumbnails: boolean;
}

export interface PlacedRun {
  points: PointSet;
  embeddings: EmbeddingOutput[];
  /** Reference features, then the new ones. */
  features: Matrix;
  warnings: string[];
}

export async function placeIntoRun(job: PlaceIntoRunJob): Promise<PlacedRun> {
  const { reference: ref, features, outDir } = job;
  const refFeatures = ref.referenceFeatures;
  if (resolve(outDir) === ref.dir) {
    throw new UserError(
      `--out ${outDir} is the reference folder itself; placing writes a new folder and never changes the reference. Pass another --out.`,
      2,
    );
  }
  if (features.cols !== refFeatures.cols) {
    throw new UserError(
      `${job.source} has ${features.cols} feature columns but the reference features (${ref.featuresFile}) have ${refFeatures.cols}: ` +
        'new points must come from the same model and layer as the reference map.',
    );
  }
  const warnings: string[] = [];
  const maps = chooseMaps(ref, job.methods, job.dims, warnings);
  let points = job.points;
  let refPoints = ref.points;
  if (job.thumbnails) {
    const refSources =
      (await recordedImageSources(ref.manifest, ref.points.paths, ref.points.domains)) ??
      (ref.root ? fileSources(ref.root, ref.points.paths) : null);
    if (refSources || job.sources) {
      const none = (n: number) => new Array<ImageSource | null>(n).fill(null);
      const all = await thumbnailsFor(
        [...(refSources ?? none(ref.points.n)), ...(job.sources ?? none(points.n))],
        job.onProgress,
        job.signal,
      );
      refPoints = { ...refPoints, thumbnails: all.slice(0, ref.points.n) };
      points = { ...points, thumbnails: all.slice(ref.points.n) };
    }
  }
  const combined = combinePoints(refPoints, points);
  const embeddings = await placeIntoReference({
    outDir,
    reference: ref,
    features,
    featuresHash: job.featuresHash,
    labels: pointLabels(combined),
    maps,
    onProgress: job.onProgress,
    signal: job.signal,
  });
  for (const e of embeddings) warnings.push(...e.warnings);
  const all = new Float32Array(refFeatures.data.length + features.data.length);
  all.set(refFeatures.data);
  all.set(features.data, refFeatures.data.length);
  const allFeatures = { data: all, rows: combined.n, cols: features.cols };
  // The pages' neighbours in the features of both sets together (no one t-SNE graph holds them all).
  const found = await pageNeighbors(all, combined.n, features.cols, { threads: 'auto' });
  combined.neighbors = found && { k: found.k, indices: found.indices };
  return { points: combined, embeddings, features: allFeatures, warnings };
}

/**
 * The reference maps to place into: the ones asked for (each must exist), else every one that can
 * take new points (UMAP maps cannot: they are left out with a warning).
 */
function chooseMaps(
  ref: ReferenceRun,
  methods: Method[] | null,
  dims: (2 | 3)[] | null,
  warnings: string[],
): { method: Method; dims: 2 | 3 }[] {
  const have = ref.embeddings.map((e) => ({ method: e.method, dims: e.dims }));
  if (methods?.includes('umap')) {
    throw new UserError(
      'UMAP maps cannot take new points: placing into a UMAP map needs the fitted UMAP model, which is not kept. ' +
        'Place into the t-SNE or PCA maps (--method tsne,pca), or map all points together with `featscope reduce`.',
      2,
    );
  }
  const wanted = have.filter(
    (m) => (methods === null || methods.includes(m.method)) && (dims === null || dims.includes(m.dims)),
  );
  // Every map asked for must be there (a method without --dims: at least one of its maps).
  for (const method of methods ?? [...new Set(have.map((m) => m.method))]) {
    const missing = (dims ?? []).filter((d) => !have.some((m) => m.method === method && m.dims === d));
    const none = dims === null && !have.some((m) => m.method === method);
    if (missing.length > 0 || none) {
      const what = none ? `${method} map` : missing.map((d) => `${method}-${d}d map`).join(' or ');
      throw new UserError(
        `--reference ${ref.dir} has no ${what} to place into; its maps: ${names(have)}.`,
        2,
      );
    }
  }
  const umap = wanted.filter((m) => m.method === 'umap');
  if (umap.length > 0) {
    warnings.push(
      `The reference's UMAP map(s) ${names(umap)} cannot take new points (the fitted UMAP model is not kept); only the other maps were placed into.`,
    );
  }
  const out = wanted.filter((m) => m.method !== 'umap');
  if (out.length === 0) {
    throw new UserError(
      `--reference ${ref.dir} has no map that can take new points (${names(have)}); placing works into t-SNE and PCA maps.`,
      2,
    );
  }
  return out;
}

function names(maps: { method: string; dims: number }[]): string {
  return maps.map((m) => `${m.method}-${m.dims}d`).join(', ');
}
