/**
 * The one entry point the pipeline calls to map features to 2D/3D: validates the features, runs the
 * chosen method and returns the embedding with everything resolved (for run.json). Also the feature
 * checks shared by every method: errors the user must fix (non-finite values, too few points) as
 * UserError naming where the problem is, and warnings for inputs that work but give a degenerate map.
 */
import { CancelledError, UserError } from '../errors.js';
import { pca, resolvePcaOptions } from './pca/pca.js';
import { tsne } from './tsne/tsne.js';
import { umap } from './umap/umap.js';
import { wasmFallbackWarning } from './wasm-modules.js';

export type ReduceMethod = 'tsne' | 'pca' | 'umap';

export const REDUCE_METHODS: readonly ReduceMethod[] = Object.freeze(['tsne', 'pca', 'umap']);

export interface ReduceOptions {
  dims: 2 | 3;
  /** t-SNE only (default 30). */
  perplexity?: number;
  /** Every random step (default 0). */
  seed?: number;
  /** t-SNE: gradient-descent iterations (default 750); UMAP: epochs (default: umap-js's rule by N). */
  iterations?: number;
  /** t-SNE gradient threads (default 'auto'). */
  threads?: number | 'auto';
}

export interface EmbeddingResult {
  method: ReduceMethod;
  dims: 2 | 3;
  /** n x dims, row-major. */
  embedding: Float32Array;
  /** Every setting actually used, 'auto' values resolved. */
  resolved: Record<string, unknown>;
  /** Input warnings (validateFeatures) followed by the method's own. */
  warnings: string[];
  /** t-SNE only: KL(P || Q) of the result. */
  klDivergence?: number;
}

/**
 * Maps n rows of d features to `options.dims` dimensions. Throws UserError for unusable input or
 * options, CancelledError when `signal` aborts. Calls `validateFeatures` itself (its warnings are in the
 * result), so callers need it separately only to fail earlier or with a better `source` name.
 */
export async function reduceEmbedding(
  method: ReduceMethod,
  data: Float32Array,
  n: number,
  d: number,
  options: ReduceOptions,
  onProgress?: (fraction: number, stage: string) => void,
  signal?: AbortSignal,
): Promise<EmbeddingResult> {
  if (!REDUCE_METHODS.includes(method)) {
    throw new UserError(`Unknown reduction method "${method}"; use one of ${REDUCE_METHODS.join(', ')}.`, 2);
  }
  if (options.dims !== 2 && options.dims !== 3) {
    throw new UserError(`Embedding dimensions must be 2 or 3, got ${String(options.dims)}.`, 2);
  }
  const warnings = validateFeatures(data, n, d, 'features');
  const dims = options.dims;
  if (method === 'tsne') {
    const r = await tsne(
      { data, rows: n, cols: d },
      {
        dims,
        perplexity: options.perplexity,
        seed: options.seed,
        iterations: options.iterations,
        threads: options.threads,
        onProgress,
        signal,
      },
    );
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
    const r = await umap(
      data,
      n,
      d,
      { dims, seed: options.seed, nEpochs: options.iterations },
      onProgress,
      signal,
    );
    return {
      method,
      dims,
      embedding: r.embedding,
      resolved: r.resolved,
      warnings: [...warnings, ...r.warnings],
    };
  }
  if (signal?.aborted) throw new CancelledError('PCA cancelled');
  onProgress?.(0, 'pca');
  const seed = options.seed ?? 0;
  const r = pca(data, n, d, dims, { seed });
  const total = totalVariance(data, n, d);
  onProgress?.(1, 'pca:done');
  const fallback = wasmFallbackWarning('PCA');
  return {
    method,
    dims,
    embedding: Float32Array.from(r.projected),
    resolved: {
      ...resolvePcaOptions(n, d, dims, { seed }),
      dims,
      kernels: fallback === null ? 'webassembly' : 'typescript',
      explainedVariance: Array.from(r.explainedVariance),
      explainedVarianceRatio: Array.from(r.explainedVariance, (v) => (total > 0 ? v / total : 0)),
    },
    warnings: fallback === null ? warnings : [...warnings, fallback],
  };
}

/** Sum of the column variances (divisor n - 1): the denominator of the explained-variance ratio. */
function totalVariance(data: Float32Array, n: number, d: number): number {
  let total = 0;
  for (let c = 0; c < d; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + c];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * d + c] - mean) ** 2;
    total += ss / Math.max(1, n - 1);
  }
  return total;
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
      `${constant.length} of ${d} features in ${source} are constant (0-based column ${shown}); ` +
        'they carry no information about the images (common after ReLU) and do not affect the maps.',
    );
  }
  return warnings;
}
