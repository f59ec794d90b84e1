/**
 * PCA as the public API and the `pca` method of `reduce` take it: a matrix in; the projection, the
 * principal axes and the explained-variance ratios out. The kernel (pca.ts) works on row-major arrays.
 */
import { assertMatrix, type Matrix } from '../../matrix.js';
import type { ReduceCallbacks } from '../progress.js';
import { throwIfCancelled } from '../progress.js';
import { wasmFallbackWarning } from '../wasm-modules.js';
import { PCA_DEFAULTS, type PcaOptions, pca, resolvePcaOptions } from './pca.js';

export interface PcaEmbeddingOptions extends PcaOptions, ReduceCallbacks {
  /** Principal components kept (default `PCA_DEFAULTS.components`, 2). */
  components?: number;
}

export interface PcaEmbedding {
  /** rows x components, row-major: the centred rows projected on the principal axes. */
  embedding: Float32Array;
  /** components x cols: unit principal axes as rows, by descending variance (rows past the rank are 0). */
  axes: Matrix<Float64Array>;
  /** Variance along each component (divisor rows - 1, as scikit-learn). */
  explainedVariance: Float64Array;
  /** Each component's share of the total variance. */
  explainedVarianceRatio: Float64Array;
  /** Every setting used, 'auto' resolved (for run.json). */
  resolved: ReturnType<typeof resolvePcaOptions> & { components: number; kernels: string };
  warnings: string[];
}

/** Projects the rows of `x` on their first `options.components` principal axes. */
export function pcaEmbedding(x: Matrix, options: PcaEmbeddingOptions = {}): PcaEmbedding {
  assertMatrix(x, 'PCA input');
  const { data, rows: n, cols: d } = x;
  const { signal, onProgress, components = PCA_DEFAULTS.components, ...settings } = options;
  throwIfCancelled(signal, 'PCA');
  onProgress?.(0, 'pca');
  const r = pca(data, n, d, components, settings);
  const total = totalVariance(data, n, d);
  onProgress?.(1, 'pca:done');
  const fallback = wasmFallbackWarning('PCA');
  return {
    embedding: Float32Array.from(r.projected),
    axes: { data: r.components, rows: components, cols: d },
    explainedVariance: r.explainedVariance,
    explainedVarianceRatio: r.explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    resolved: {
      ...resolvePcaOptions(n, d, components, settings),
      components,
      kernels: fallback === null ? 'webassembly' : 'typescript',
    },
    warnings: fallback === null ? [] : [fallback],
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
