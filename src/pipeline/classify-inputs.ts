/**
 * What the classify stage reads before inference: the model file (bytes, parsed graph, sha256), the
 * class-index JSON and the test set's listing. `featscope run` reads them once, for its cache key and
 * for inference alike (it used to hash the model and list the data twice).
 */
import { type ClassIndex, classIndexFromMetadata, loadClassIndex } from '../dataset/class-index.js';
import { type LoadedData, loadData, toDataSpecs } from '../dataset/domains.js';
import type { OnnxModelInfo } from '../model/onnx-model.js';
import { readModelFile } from '../model/session.js';
import type { ClassifyOptions } from './classify.js';
import { datasetFingerprint, sha256, stableJson } from './fingerprint.js';
import { FEATSCOPE_VERSION } from './version.js';

export interface ClassifyInputs {
  model: { bytes: Uint8Array; info: OnnxModelInfo; sha256: string };
  /** The --classes file, or null. */
  classIndex: ClassIndex | null;
  data: LoadedData;
}

export async function loadClassifyInputs(o: ClassifyOptions): Promise<ClassifyInputs> {
  const classIndex = o.classes ? await loadClassIndex(o.classes) : null;
  const model = await readModelFile(o.model);
  // Models exported by examples/fashion-mnist/train.py carry their class list; used when it names every label.
  const fromModel = classIndex
    ? null
    : classIndexFromMetadata(model.info.metadata['featscope.classes'], o.model);
  const data = await loadData(toDataSpecs(o.data), o.split, classIndex, fromModel);
  return { model, classIndex, data };
}

/**
 * The classify stage's cache key: the featscope version, the model's bytes, each domain's images (path,
 * label, size, mtime) and every option that changes predictions or features. `scan` is the data's
 * scanFingerprint when the caller has it already.
 */
export async function classifyCacheKey(
  o: ClassifyOptions,
  inputs: ClassifyInputs,
  version = FEATSCOPE_VERSION,
  scan?: string,
): Promise<string> {
  scan ??= await scanFingerprint(inputs.data);
  const opts = {
    split: o.split,
    layer: o.layer,
    output: o.output ?? null,
    layout: o.layout ?? 'auto',
    classes: inputs.classIndex?.names ?? null,
    topK: o.topK,
    strict: o.strict,
    preprocess: o.preprocess,
  };
  return sha256(version, inputs.model.sha256, scan, stableJson(opts));
}

/**
 * The scan's fingerprint: each domain's name, form and images (path, label, size, mtime) in scan order.
 * Shards of one test set agree on it (src/pipeline/shard.ts).
 */
export async function scanFingerprint(data: LoadedData): Promise<string> {
  const fps: string[] = [];
  for (let d = 0; d < data.domains.length; d++) {
    const items = data.items.filter((it) => it.domain === d);
    fps.push(`${data.domains[d].name}=${data.domains[d].form}:${await datasetFingerprint(items)}`);
  }
  return sha256(fps.join('\n'));
}
