/**
 * `placeIntoMap`, the placement counterpart of `reduce`: new points into a map that `reduce` made of
 * other points, without moving that map (docs/architecture.md section 4).
 *
 * The new points are measured in the space the map was built in, which is recomputed from the
 * reference features and the map's recorded settings (nothing else has to be kept): for t-SNE, the
 * PCA pre-reduction to `pcaDims` when the map used one (the same deterministic PCA of the same
 * reference rows with the same seed); for PCA, the map's own axes, so placing is a projection.
 * UMAP maps cannot take new points: umap-js's `transform` needs the fitted model, which is not kept.
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import { assertMatrix, type Matrix } from '../matrix.js';
import { pca, projectOnAxes } from './pca/pca.js';
import type { ReduceMethod } from './reduce.js';
import { validateFeatures } from './reduce.js';
import { type PlacementOptions, placeNewPointsParallel } from './tsne/placement.js';
import { assertFinite } from './tsne/tsne-embedding.js';

export interface PlaceIntoMapOptions {
  method: ReduceMethod;
  /** The reference rows' features, as the map was made from them. */
  referenceFeatures: Matrix;
  /** The reference map (reference rows x 2 or 3). */
  referenceMap: Matrix;
  /**
   * The map's resolved settings as `reduce` returned them (run.json `embeddings[].resolved`): t-SNE
   * needs `pcaDims` and `seed`, PCA `seed`.
   */
  referenceResolved: Record<string, unknown>;
  /** t-SNE placement settings (PLACEMENT_DEFAULTS). */
  placement?: Partial<PlacementOptions>;
  /** Threads for t-SNE placement (default 'auto': the machine's available parallelism). */
  threads?: number | 'auto';
}

export interface PlacedPoints {
  /** New rows x dims, row-major. */
  embedding: Float32Array;
  /** Every setting used (for run.json). */
  resolved: Record<string, unknown>;
  warnings: string[];
}

/** Places the rows of `newFeatures` into `options.referenceMap`. Throws UserError for unusable input. */
export async function placeIntoMap(newFeatures: Matrix, options: PlaceIntoMapOptions): Promise<PlacedPoints> {
  const { method, referenceFeatures: ref, referenceMap: map, referenceResolved: r } = options;
  assertMatrix(newFeatures, 'new features');
  assertMatrix(ref, 'reference features');
  const dims = map.cols;
  if (newFeatures.cols !== ref.cols) {
    throw new UserError(
      `The new features have ${newFeatures.cols} columns but the reference map was made from ${ref.cols}; ` +
        'new points must come from the same model and layer as the reference map.',
    );
  }
  // Any number of new points can be placed (a map needs 3; placing one point is fine).
  const { data: nd, rows: nn, cols: nc } = newFeatures;
  const warnings = nn >= 3 ? validateFeatures(nd, nn, nc, 'the new features') : [];
  if (nn < 3) assertFinite(nd, nn, nc);
  const seed = typeof r.seed === 'number' ? r.seed : 0;
  if (method === 'umap') {
    throw new UserError(
      'UMAP maps cannot take new points: placing into a UMAP map needs the fitted UMAP model, which is not kept. ' +
        'Place into the t-SNE or PCA maps (--method tsne,pca), or map all points together with `featscope reduce`.',
      2,
    );
  }
  if (method === 'pca') {
    // The map is the reference rows on their first `dims` axes: place by projecting on the same axes.
    const fit = pca(ref.data, ref.rows, ref.cols, dims, { seed });
    const projected = projectOnAxes(
      newFeatures.data,
      newFeatures.rows,
      ref.cols,
      fit.mean,
      fit.components,
      dims,
    );
    return {
      embedding: Float32Array.from(projected),
      resolved: { method: 'projection', dims, seed },
      warnings,
    };
  }
  const pcaDims = typeof r.pcaDims === 'number' ? r.pcaDims : null;
  let refSpace: Matrix = ref;
  let newSpace: Matrix = newFeatures;
  if (pcaDims !== null && pcaDims < ref.cols) {
    const fit = pca(ref.data, ref.rows, ref.cols, pcaDims, { seed });
    refSpace = { data: Float32Array.from(fit.projected), rows: ref.rows, cols: pcaDims };
    const projected = projectOnAxes(
      newFeatures.data,
      newFeatures.rows,
      ref.cols,
      fit.mean,
      fit.components,
      pcaDims,
    );
    newSpace = { data: Float32Array.from(projected), rows: newFeatures.rows, cols: pcaDims };
  }
  const threads =
    options.threads === undefined || options.threads === 'auto' ? availableParallelism() : options.threads;
  const placed = await placeNewPointsParallel(refSpace, map, newSpace, {
    seed,
    ...options.placement,
    threads,
  });
  return {
    embedding: placed.embedding,
    resolved: { ...placed.resolved, dims, pcaDims, threads: placed.threads },
    warnings: [...warnings, ...placed.warnings],
  };
}
