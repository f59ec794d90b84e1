/**
 * `--decode-threads auto` from the first batch's costs: decoding's share of the CPU work per image
 * sets the share of the cores that decode. The costs below are the shapes measured on this project's
 * benchmarks (VGG16 on photos: inference ~100x decoding; a tiny CNN on photos: decoding ~10x
 * inference), not timings of this test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AUTO_BATCH,
  BIG_MODEL_BATCH,
  BIG_MODEL_BYTES,
  planBatchSize,
  planDecodeThreads,
} from '../../src/pipeline/classify-plan.js';

test('a compute-bound model (VGG16-like) decodes on one thread, leaving the other cores to ONNX Runtime', () => {
  for (const cores of [2, 4, 16]) {
    const p = planDecodeThreads({ cores, intraOpThreads: cores, decodeSeconds: 0.007, inferSeconds: 0.15 });
    assert.equal(p.decodeThreads, 1, `${cores} cores`);
    assert.equal(p.from, 'measured');
    assert.ok(p.decodeShare! > 0 && p.decodeShare! < 0.05, String(p.decodeShare));
    assert.equal(p.decodeMsPerImage, 7);
    assert.equal(p.inferMsPerImage, 150);
    assert.match(p.reason, /1 of \d+ cores decode/);
  }
});

test('a decode-bound model (tiny CNN on photos) decodes on every core', () => {
  for (const cores of [1, 2, 4]) {
    const p = planDecodeThreads({ cores, intraOpThreads: cores, decodeSeconds: 0.007, inferSeconds: 0.0002 });
    assert.equal(p.decodeThreads, cores, `${cores} cores`);
  }
});

test('in between, the decode threads follow decoding share of the work, at least 1 and at most every core', () => {
  // Decoding as costly as inference's CPU: half of 16 cores.
  const half = planDecodeThreads({
    cores: 16,
    intraOpThreads: 16,
    decodeSeconds: 0.016,
    inferSeconds: 0.001,
  });
  assert.equal(half.decodeShare, 0.5);
  assert.equal(half.decodeThreads, 8);
  // Inference's CPU counts its threads only up to the cores.
  const capped = planDecodeThreads({
    cores: 4,
    intraOpThreads: 64,
    decodeSeconds: 0.004,
    inferSeconds: 0.001,
  });
  assert.equal(capped.decodeShare, 0.5);
  assert.equal(capped.decodeThreads, 2);
  // More decode work -> never fewer threads.
  let last = 0;
  for (let d = 0.0005; d < 2; d *= 1.5) {
    const t = planDecodeThreads({
      cores: 8,
      intraOpThreads: 8,
      decodeSeconds: d,
      inferSeconds: 0.002,
    }).decodeThreads;
    assert.ok(t >= last && t >= 1 && t <= 8, `${d}: ${t}`);
    last = t;
  }
  assert.equal(last, 8);
});

test('unusable costs (every image of the first batch skipped, or a zero clock) fall back to every core, said so', () => {
  for (const [d, m] of [
    [0.01, Number.NaN],
    [0, 0.01],
    [Number.POSITIVE_INFINITY, 0.01],
  ]) {
    const p = planDecodeThreads({ cores: 4, intraOpThreads: 4, decodeSeconds: d, inferSeconds: m });
    assert.equal(p.from, 'fallback');
    assert.equal(p.decodeThreads, 4);
    assert.match(p.reason, /no usable costs/);
  }
});

test("batch size: the model's fixed batch, then --batch-size, then 'auto' by the model's size", () => {
  assert.deepEqual(planBatchSize('auto', 1, 600e6), { batchSize: 1, from: 'model' });
  assert.deepEqual(planBatchSize(32, 4, 1e3), { batchSize: 4, from: 'model' });
  assert.deepEqual(planBatchSize(32, null, 600e6), { batchSize: 32, from: 'option' });
  assert.deepEqual(planBatchSize('auto', null, 540 * 2 ** 20), {
    batchSize: BIG_MODEL_BATCH,
    from: 'big-model',
  });
  assert.deepEqual(planBatchSize('auto', null, BIG_MODEL_BYTES), {
    batchSize: BIG_MODEL_BATCH,
    from: 'big-model',
  });
  assert.deepEqual(planBatchSize('auto', null, BIG_MODEL_BYTES - 1), { batchSize: AUTO_BATCH, from: 'auto' });
  assert.deepEqual(planBatchSize('auto', null, 2e5), { batchSize: 64, from: 'auto' });
});
