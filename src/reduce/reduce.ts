/**
 * `reduce`, the one entry point of the pipeline and of the public API that maps features to 2D/3D:
 * validates the features, runs the chosen method and returns the embedding with everything resolved
 * (for run.json). Also the feature
 * checks shared by every method: errors the user must fix (non-finite values, too few points) as
 * UserError naming where the problem is, and warnings for inputs that work but give a degenerate map.
 */
import { UserError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { pcaEmbedding } from './pca/pca-embedding.js';
import type { ReduceCallbacks } from './progress.js';
import type { TsneAffinities } from './tsne/shared-affinities.js';
import { tsne } from './tsne/tsne.js';
import { umap } from './umap/umap.js';

export type ReduceMethod = 'tsne' | 'pca' | 'umap';

export const REDUCE_METHODS: readonly ReduceMethod[] = Object.freeze(['tsne', 'pca', 'umap']);

/**
 * The settings every method shares. What is left out takes the method's own default
 * (TSNE_DEFAULTS, UMAP_DEFAULTS, PCA_DEFAULTS); `tsne`, `umap` and `pca` take every setting.
 */
export interface ReduceOptions extends ReduceCallbacks {
  method: ReduceMethod;
  dims: 2 | 3;
  /** t-SNE only (default 30). */
  perplexity?: number;
  /** Every random step (default 0). */
  seed?: number;
  /** t-SNE: gradient-descent iterations (default 750); UMAP: epochs (default: umap-js's rule by N). */
  iterations?: number;
  /** t-SNE gradient threads (default 'auto'). */
  threads?: number | 'auto';
  /** t-SNE only: PCA, neighbours and P from `tsneAffinities` for the same features (tsne.ts), e.g. shared by a 2D and a 3D map. */
  tsneAffinities?: TsneAffinities;
}

export interface EmbeddingResult {
  method: ReduceMethod;
  dims: 2 | 3;
  /** rows x dims, row-major. */
  embedding: Float32Array;
  /** Every setting actually used, 'auto' values resolved. */
  resolved: Record<string, unknown>;
  /** Input warnings (validateFeatures) followed by the method's own. */
  warnings: string[];
  /** t-SNE only: KL(P || Q) of the result. */
  klDivergence?: number;
}

/**
 * Maps the rows of `x` to `options.dims` dimensions with `options.method`. Throws UserError for
 * unusable input or options, CancelledError when `options.signal` aborts. Calls `validateFeatures`
 * itself (its warnings are in the result), so callers need it separately only to fail earlier or with
 * a better `source` name.
 */
export async function reduce(x: Matrix, options: ReduceOptions): Promise<EmbeddingResult> {
  const { method, dims, signal, onProgress } = options;
  if (!REDUCE_METHODS.includes(method)) {
    throw new UserError(`Unknown reduction method "${method}"; use one of ${REDUCE_METHODS.join(', ')}.`, 2);
  }
  if (dims !== 2 && dims !== 3) {
    throw new UserError(`Embedding dimensions must be 2 or 3, got ${String(dims)}.`, 2);
  }
  const warnings = validateFeatures(x.data, x.rows, x.cols, 'the feature matrix');
  const { seed } = options;
  if (method === 'tsne') {
    const { perplexity, iterations, threads, tsneAffinities: affinities } = options;
    const r = await tsne(x, { dims, perplexity, seed, iterations, threads, affinities, onProgress, signal });
    return {
      method,
      dims,
      embedding: r.embedding,
      resolved: r.resolved,
      warnings: [...warnings, ...r.warnings],
      klDivergence: r.klDivergence,
    };
  }
  if (method === 'umap') {
    const r = await umap(x, { dims, seed, nEpochs: options.iterations, onProgress, signal });
    return {
      method,
      dims,
      embedding: r.embedding,
      resolved: r.resolved,
      warnings: [...warnings, ...r.warnings],
    };
  }
  const r = pcaEmbedding(x, { components: dims, seed, onProgress, signal });
  const { components: _, ...resolved } = r.resolved;
  return {
    method,
    dims,
    embedding: r.embedding,
    resolved: {
      ...resolved,
      dims,
      explainedVariance: Array.from(r.explainedVariance),
      explainedVarianceRatio: Array.from(r.explainedVarianceRatio),
    },
    warnings: [...warnings, ...r.warnings],
  };
}

/** Rows named in messages before "...". */
const ROWS_NAMED = 5;

/**
 * Returns warnings; throws UserError for NaN/Infinity (naming the first offending rows, 0-based, and how
 * many) or fewer than 3 points. `source` names the matrix in messages, e.g. "features.npy".
 */
export function validateFeatures(data: Float32Array, n: number, d: number, source: string): string[] {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1 || data.length !== n * d) {
    throw new UserError(
      `${source} is not an N x D matrix: N=${n}, D=${d} but it holds ${data.length} values. ` +
        'Save features as a 2-D float32 array of shape [N, D].',
    );
  }
  if (n < 3) {
    throw new UserError(
      `${source} has ${n} point(s); need at least 3 points to make a map. Add more images to the data folder.`,
    );
  }
  const badRows: number[] = [];
  let badCount = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      if (!Number.isFinite(data[i * d + c])) {
        if (badRows.length < ROWS_NAMED) badRows.push(i);
        badCount++;
        break;
      }
    }
  }
  if (badCount > 0) {
    const more = badCount > badRows.length ? ', ...' : '';
    throw new UserError(
      `${source} contains NaN or infinite values in ${badCount} of ${n} rows (0-based row ${badRows.join(', ')}${more}). ` +
        'Maps need finite numbers: check the model output for those images (e.g. a layer that overflows), ' +
        'or remove those rows.',
    );
  }
  // Constant columns: min == max over all rows.
  const constant: number[] = [];
  for (let c = 0; c < d; c++) {
    const first = data[c];
    let same = true;
    for (let i = 1; i < n && same; i++) same = data[i * d + c] === first;
    if (same) constant.push(c);
  }
  const warnings: string[] = [];
  if (constant.length === d) {
    warnings.push(
      `All ${n} points in ${source} are identical, so every map is a single spot. ` +
        'The chosen layer may not depend on the input (check --layer).',
    );
  } else if (constant.length > 0) {
    const shown = constant.slice(0, ROWS_NAMED).join(', ') + (constant.length > ROWS_NAMED ? ', ...' : '');
    warnings.push(
      `${constant.length} of the ${d} feature columns of ${source} are constant (0-based column ${shown}); ` +
        'they carry no information about the images (common after ReLU) and do not affect the maps.',
    );
  }
  return warnings;
}
