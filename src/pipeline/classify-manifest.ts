/** The parts of run.json that describe the classify stage (shared by `classify` and `run`). */
import { describeData } from '../dataset/domains.js';
import type { ClassifyOptions, ClassifyResult } from './classify.js';
import { FEATURES_FILE } from './classify-outputs.js';
import type { RunManifest } from './manifest.js';

export function classifyManifestPart(
  o: ClassifyOptions,
  r: ClassifyResult,
): Pick<RunManifest, 'model' | 'data' | 'features' | 'options' | 'metrics' | 'warnings'> {
  return {
    model: {
      path: o.model,
      sha256: r.modelSha256,
      layer: r.layer.tensor,
      layerModulePath: r.layer.modulePath,
      layerMatchedAs: r.layer.matchedAs,
    },
    data: {
      root: describeData(o.data),
      n: r.paths.length,
      classes: r.classes,
      skipped: r.skipped,
      classesFrom: r.data.classesFrom,
      classesDetail: r.data.classesDetail,
      domains: r.data.domains,
    },
    features: { file: FEATURES_FILE, n: r.paths.length, dim: r.featureDim },
    options: {
      layer: o.layer,
      split: o.split,
      output: r.output.name,
      outputKind: r.output.kind,
      layout: r.layout.layout,
      classes: o.classes,
      topK: o.topK,
      batchSize: r.batchSize,
      batchSizeFrom: r.batchSizeFrom,
      threads: r.threads,
      decodeThreads: r.decodeThreads,
      decodePlan: r.decodePlan,
      executionProvider: r.executionProvider,
      strict: o.strict,
      preprocess: r.preprocess,
    },
    metrics: { imagesPerSecond: r.imagesPerSecond },
    warnings: r.warnings,
  };
}
