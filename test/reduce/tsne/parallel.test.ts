import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PARALLEL_MIN_POINTS, tsne } from '../../../src/reduce/tsne/tsne.js';
import { gaussianClusters, knnLabelAccuracy } from './helpers.js';

const n = PARALLEL_MIN_POINTS + 100;
const d = 10;
const { data, labels } = gaussianClusters(n, d, 5, 51);

test('Barnes-Hut on 2 threads: bit-identical to 1 thread, deterministic, same quality', async () => {
  const options = { iterations: 120, earlyExaggerationIterations: 80, method: 'bh' as const };
  const a = await tsne({ data, rows: n, cols: d }, { ...options, threads: 2 });
  const b = await tsne({ data, rows: n, cols: d }, { ...options, threads: 2 });
  assert.equal(a.resolved.threads, 2);
  assert.deepEqual(a.embedding, b.embedding);
  const one = await tsne({ data, rows: n, cols: d }, { ...options, threads: 1 });
  assert.equal(one.resolved.threads, 1);
  let maxDiff = 0;
  let span = 0;
  for (let i = 0; i < one.embedding.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(one.embedding[i] - a.embedding[i]));
    span = Math.max(span, Math.abs(one.embedding[i]));
  }
  assert.equal(maxDiff, 0, `max difference ${maxDiff} (span ${span})`);
  assert.ok(knnLabelAccuracy(a.embedding, labels, 2) > 0.95);
});

test('FFT on 2 threads gives exactly the single-thread result', async () => {
  const options = { iterations: 20, earlyExaggerationIterations: 15, method: 'fft' as const };
  const a = await tsne({ data, rows: n, cols: d }, { ...options, threads: 2 });
  const one = await tsne({ data, rows: n, cols: d }, { ...options, threads: 1 });
  assert.equal(a.resolved.threads, 2);
  assert.deepEqual(a.embedding, one.embedding);
});

test('3D Barnes-Hut on 2 threads gives exactly the single-thread result', async () => {
  const options = { dims: 3 as const, iterations: 30, earlyExaggerationIterations: 20 };
  const a = await tsne({ data, rows: n, cols: d }, { ...options, threads: 2 });
  const one = await tsne({ data, rows: n, cols: d }, { ...options, threads: 1 });
  assert.equal(a.resolved.threads, 2);
  assert.deepEqual(a.embedding, one.embedding);
});
