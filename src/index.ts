// featscope: the public API. Re-exports only; the subpaths featscope/reduce, featscope/tsne,
// featscope/render and featscope/io export their parts of it (docs/architecture.md).

export type { DataSpec } from './dataset/domains.js';
export type { Split } from './dataset/mnist-folder.js';
export { CancelledError, UserError } from './errors.js';
export * from './io/index.js';
export type { Matrix } from './matrix.js';
export type { LayoutOption } from './model/input-layout.js';
export { type ExecutionProvider, MODEL_DEFAULTS, type ModelOptions } from './model/session.js';
export {
  CLASSIFY_DEFAULTS,
  type ClassifyOptions,
  type ClassifyResult,
  classify,
  type SkippedImage,
} from './pipeline/classify.js';
export {
  type ClassifyPartOptions,
  type ClassifyPartResult,
  classifyPart,
} from './pipeline/classify-part.js';
export type { ManifestEmbedding, RunManifest } from './pipeline/manifest.js';
export { type MergeOptions, type MergeResult, merge } from './pipeline/merge.js';
export { PLOT_DEFAULTS, type PlotOptions } from './pipeline/plot-options.js';
export { buildPointSet } from './pipeline/points.js';
export type { ProgressEvent, ProgressListener } from './pipeline/progress.js';
export { REDUCE_DEFAULTS, type ReduceStageOptions } from './pipeline/reduce-stage.js';
export { type RunOptions, type RunResult, runPipeline as run } from './pipeline/run.js';
export { resolveShard, type ShardRows, type ShardSpec, shardRange } from './pipeline/shard.js';
export { PREPROCESS_DEFAULTS, type PreprocessOptions, type PresetName } from './preprocess/options.js';
export * from './reduce/index.js';
export * from './render/index.js';
