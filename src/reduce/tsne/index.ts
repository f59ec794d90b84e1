// featscope/tsne: the steppable t-SNE and its one-call form. Re-exports only.

export type { OptimizerStage } from './optimizer.js';
export type { ResolvedTsneOptions, TsneOptions } from './options.js';
export { TSNE_DEFAULTS } from './options.js';
export type { PlacementOptions, PlacementResult, ResolvedPlacementOptions } from './placement.js';
export { PLACEMENT_DEFAULTS, placeNewPoints, placeNewPointsParallel } from './placement.js';
export type { TsneAffinities } from './shared-affinities.js';
export { tsne, tsneAffinities } from './tsne.js';
export type {
  TsneIteration,
  TsnePrepareOptions,
  TsneProgress,
  TsneResult,
  TsneRunOptions,
} from './tsne-embedding.js';
export { TSNE } from './tsne-embedding.js';
