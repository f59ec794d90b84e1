import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, UserError } from '../../../src/errors.js';
import { pca } from '../../../src/reduce/pca/pca.js';
import { pcaEmbedding } from '../../../src/reduce/pca/pca-embedding.js';
import { scaledGaussian } from '../knn/synthetic-data.js';

test('pcaEmbedding: the kernel projection as float32, axes as a matrix, variance ratios of a known spectrum', () => {
  const n = 2000;
  const scales = [4, 2, 1, 1];
  const d = scales.length;
  const data = scaledGaussian(n, scales, 5);
  const stages: string[] = [];
  const r = pcaEmbedding(
    { data, rows: n, cols: d },
    { components: 3, seed: 2, onProgress: (_f, s) => stages.push(s) },
  );
  const kernel = pca(data, n, d, 3, { seed: 2 });
  assert.deepEqual(r.embedding, Float32Array.from(kernel.projected));
  assert.deepEqual(r.axes, { data: kernel.components, rows: 3, cols: d });
  assert.deepEqual(stages, ['pca', 'pca:done']);
  // Variances 16, 4, 1, 1 of a total 22 (sampling error ~3% at n = 2000).
  const expected = [16 / 22, 4 / 22, 1 / 22];
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(r.explainedVarianceRatio[c] - expected[c]) < 0.03, `${c}`);
  assert.equal(r.resolved.components, 3);
  assert.equal(r.resolved.method, 'exact');
  // Two components by default.
  assert.equal(pcaEmbedding({ data, rows: n, cols: d }).embedding.length, n * 2);
});

test('pcaEmbedding: a malformed matrix is a UserError, an aborted signal a CancelledError', () => {
  const data = new Float32Array(12);
  assert.throws(() => pcaEmbedding({ data, rows: 5, cols: 3 }), UserError);
  const ctrl = new AbortController();
  ctrl.abort();
  assert.throws(() => pcaEmbedding({ data, rows: 4, cols: 3 }, { signal: ctrl.signal }), CancelledError);
});
