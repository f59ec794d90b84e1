/**
 * What classify reads before inference is read once and keyed with the featscope version: `run`
 * hands classify the model and data it listed for its cache key, and an upgrade never reuses stages.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLASSIFY_DEFAULTS, type ClassifyOptions, classify } from '../../src/pipeline/classify.js';
import { classifyCacheKey, loadClassifyInputs } from '../../src/pipeline/classify-inputs.js';
import { embeddingCacheKey } from '../../src/pipeline/reduce-stage.js';
import { exampleSubset } from '../helpers/example-subset.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'fashion-mnist');

function options(): ClassifyOptions {
  return {
    ...CLASSIFY_DEFAULTS,
    model: join(EXAMPLE, 'model.onnx'),
    data: exampleSubset(3),
    layer: null,
    threads: 1,
    executionProvider: 'cpu',
  };
}

test('classify uses the inputs it is given: no second read of the model or the data', async () => {
  const o = options();
  const inputs = await loadClassifyInputs(o);
  const direct = await classify(o);
  // Paths that no longer exist: classify must not read them again.
  const given = await classify({ ...o, model: '/nonexistent/model.onnx', data: '/nonexistent/data' }, inputs);
  assert.deepEqual(given.paths, direct.paths);
  assert.deepEqual(given.features, direct.features);
  assert.equal(given.modelSha256, direct.modelSha256);
});

test('cache keys change with the featscope version, and only with what matters', async () => {
  const o = options();
  const inputs = await loadClassifyInputs(o);
  const key = await classifyCacheKey(o, inputs);
  assert.equal(await classifyCacheKey({ ...o, threads: 2, batchSize: 7 }, inputs), key);
  assert.notEqual(await classifyCacheKey(o, inputs, '0.0.0-older'), key);
  assert.notEqual(await classifyCacheKey({ ...o, topK: 2 }, inputs), key);
  const reduce = { perplexity: 30, iterations: 750, seed: 0, threads: 'auto' as const };
  const e = embeddingCacheKey('f00d', 'tsne', 2, reduce);
  assert.notEqual(embeddingCacheKey('f00d', 'tsne', 2, reduce, '0.0.0-older'), e);
  assert.notEqual(embeddingCacheKey('f00d', 'tsne', 2, { ...reduce, seed: 1 }), e);
});
