// reduce/: feature matrices to 2D/3D maps and their quality. Re-exports only.

export type { KnnMethod, KnnOptions, KnnResult } from './knn/knn.js';
export { KNN_DEFAULTS, knn, resolveKnnOptions } from './knn/knn.js';
export type { EmbeddingQuality } from './metrics/embedding-quality.js';
export { embeddingQuality } from './metrics/embedding-quality.js';
export { knnLabelAccuracy } from './metrics/knn-label-accuracy.js';
export { knnPreservation } from './metrics/knn-preservation.js';
export type { MetricOptions } from './metrics/queries.js';
export { METRIC_DEFAULTS } from './metrics/queries.js';
export { trustworthiness } from './metrics/trustworthiness.js';
export type { PcaOptions, PcaResult } from './pca/pca.js';
export { PCA_DEFAULTS, pca, resolvePcaOptions } from './pca/pca.js';
export type { EmbeddingResult, ReduceMethod, ReduceOptions } from './reduce.js';
export { REDUCE_METHODS, reduceEmbedding, validateFeatures } from './reduce.js';
export type { Rng } from './rng.js';
export { gaussian, mulberry32 } from './rng.js';
export type { ResolvedTsneOptions, TsneOptions } from './tsne/options.js';
export { resolveTsneOptions, TSNE_DEFAULTS } from './tsne/options.js';
export type { TsneResult } from './tsne/tsne.js';
export { tsne } from './tsne/tsne.js';
export type { ResolvedUmapOptions, UmapOptions, UmapResult } from './umap/umap.js';
export { resolveUmapOptions, UMAP_DEFAULTS, umap } from './umap/umap.js';
