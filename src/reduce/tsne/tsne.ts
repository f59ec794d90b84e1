/**
 * t-SNE in one call: `TSNE.prepare` then `run` (tsne-embedding.ts), for callers that want the map and
 * not the steps (docs/architecture.md section 4).
 */
import { assertMatrix, type Matrix } from '../../matrix.js';
import { resolveTsneOptions, type TsneOptions } from './options.js';
import { computeAffinities, type TsneAffinities } from './shared-affinities.js';
import {
  assertFinite,
  PARALLEL_MIN_POINTS,
  TSNE,
  type TsnePrepareOptions,
  type TsneResult,
} from './tsne-embedding.js';

export type { TsneResult } from './tsne-embedding.js';
export { assertFinite, PARALLEL_MIN_POINTS } from './tsne-embedding.js';

/**
 * Embeds the rows of `x` in 2 or 3 dimensions. `onProgress(fraction, stage)` reports overall progress
 * in [0, 1]; `signal` cancels with a CancelledError; bad input or options throw a UserError.
 */
export async function tsne(x: Matrix, options: TsnePrepareOptions = {}): Promise<TsneResult> {
  const t = await TSNE.prepare(x, options);
  try {
    await t.run({ signal: options.signal, onProgress: options.onProgress });
    return t.result();
  } finally {
    t.dispose();
  }
}

/**
 * The dimension-independent part of `TSNE.prepare` (PCA pre-reduction, kNN, P) for `options`, to
 * pass as `affinities` to several maps of the same `x` (a 2D and a 3D one): they then skip it.
 * `keepNeighbors` nearest neighbours per row (at most the kNN graph's k) are kept in `nearest`.
 */
export async function tsneAffinities(
  x: Matrix,
  options: Partial<TsneOptions> & { keepNeighbors?: number } = {},
): Promise<TsneAffinities> {
  assertMatrix(x, 't-SNE input');
  assertFinite(x.data, x.rows, x.cols);
  const { keepNeighbors = 0, ...tsneOptions } = options;
  const { resolved } = resolveTsneOptions(x.rows, x.cols, tsneOptions);
  const threads = x.rows >= PARALLEL_MIN_POINTS ? resolved.threads : 1;
  return computeAffinities(x.data, x.rows, x.cols, resolved, threads, keepNeighbors);
}
