// featscope/reduce: feature matrices to 2D/3D maps. Re-exports only; every function takes a Matrix.

export type { QueryKnnOptions, QueryKnnResult } from './knn/query-knn.js';
export { queryKnn } from './knn/query-knn.js';
export { referenceLabelAccuracy } from './metrics/reference-label-accuracy.js';
export type { PcaOptions } from './pca/pca.js';
export { PCA_DEFAULTS } from './pca/pca.js';
export type { PcaEmbedding, PcaEmbeddingOptions } from './pca/pca-embedding.js';
export { pcaEmbedding as pca } from './pca/pca-embedding.js';
export type { PlacedPoints, PlaceIntoMapOptions } from './place.js';
export { placeIntoMap } from './place.js';
export type { ReduceCallbacks, ReduceProgress } from './progress.js';
export type { EmbeddingResult, ReduceMethod, ReduceOptions } from './reduce.js';
export { REDUCE_METHODS, reduce } from './reduce.js';
export * from './tsne/index.js';
export type { ResolvedUmapOptions, UmapCallOptions, UmapOptions, UmapResult } from './umap/umap.js';
export { UMAP_DEFAULTS, umap } from './umap/umap.js';
