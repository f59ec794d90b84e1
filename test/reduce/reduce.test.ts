import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { embeddingQuality } from '../../src/reduce/metrics/embedding-quality.js';
import { reduce, validateFeatures } from '../../src/reduce/reduce.js';
import { gaussianClusters } from './knn/synthetic-data.js';

test('validateFeatures: NaN/Inf rows named (0-based, with the count), too few points, warnings', () => {
  const d = 3;
  const data = new Float32Array(10 * d).map((_, i) => i % 7);
  data[2 * d + 1] = Number.NaN;
  data[7 * d] = Number.POSITIVE_INFINITY;
  assert.throws(
    () => validateFeatures(data, 10, d, 'features.npy'),
    (e: unknown) =>
      e instanceof UserError &&
      /features\.npy/.test(e.message) &&
      /2 of 10 rows/.test(e.message) &&
      /row 2, 7\b/.test(e.message),
  );
  assert.throws(() => validateFeatures(new Float32Array(6), 2, 3, 'f'), /need at least 3 points/);
  assert.throws(() => validateFeatures(new Float32Array(5), 2, 3, 'f'), UserError);
  const same = validateFeatures(new Float32Array(12).fill(1), 4, 3, 'f');
  assert.equal(same.length, 1);
  assert.match(same[0], /identical/);
  const constant = Float32Array.from([1, 0, 5, 2, 0, 5, 3, 0, 5]);
  const w = validateFeatures(constant, 3, 3, 'f');
  assert.equal(w.length, 1);
  assert.match(w[0], /2 of the 3 feature columns of f are constant \(0-based column 1, 2\)/);
  assert.deepEqual(validateFeatures(Float32Array.from([1, 2, 3, 4, 5, 7]), 3, 2, 'f'), []);
});

test('reduce pca: 2D/3D, deterministic, explained variance ratios, good cluster map', async () => {
  const n = 400;
  const d = 10;
  const { data, labels } = gaussianClusters(n, d, 4, 1, 10, 1);
  const stages: string[] = [];
  const r = await reduce(
    { data, rows: n, cols: d },
    { method: 'pca', dims: 2, seed: 1, onProgress: (_f, s) => stages.push(s) },
  );
  assert.equal(r.embedding.length, n * 2);
  assert.equal(r.method, 'pca');
  assert.deepEqual(stages, ['pca', 'pca:done']);
  const ratios = r.resolved.explainedVarianceRatio as number[];
  assert.ok(ratios[0] >= ratios[1] && ratios[0] + ratios[1] <= 1 + 1e-9 && ratios[1] > 0);
  const r3 = await reduce({ data, rows: n, cols: d }, { method: 'pca', dims: 3, seed: 1 });
  // The first two PCA coordinates do not depend on how many are asked for.
  for (let i = 0; i < n; i++) assert.ok(Math.abs(r3.embedding[i * 3] - r.embedding[i * 2]) < 1e-3);
  const q = embeddingQuality(data, n, d, r.embedding, 2, labels);
  assert.ok(q.trustworthiness10 > 0.8 && q.knnLabelAccuracy10! > 0.9, JSON.stringify(q));
});

test('reduce umap and tsne return finite maps that keep clusters apart', async () => {
  const n = 300;
  const d = 12;
  const { data, labels } = gaussianClusters(n, d, 3, 2, 8, 1);
  for (const method of ['umap', 'tsne'] as const) {
    const r = await reduce({ data, rows: n, cols: d }, { method, dims: 2, seed: 0, iterations: 300 });
    assert.equal(r.embedding.length, n * 2);
    assert.ok(r.embedding.every(Number.isFinite), method);
    const q = embeddingQuality(data, n, d, r.embedding, 2, labels);
    assert.ok(q.knnLabelAccuracy10! > 0.95, `${method}: ${JSON.stringify(q)}`);
    if (method === 'tsne') assert.ok(typeof r.klDivergence === 'number' && r.klDivergence >= 0);
  }
});

test('reduce rejects bad method, dims and NaN features with UserError', async () => {
  const { data } = gaussianClusters(20, 3, 2, 1);
  const x = { data, rows: 20, cols: 3 };
  await assert.rejects(reduce(x, { method: 'mds' as 'pca', dims: 2 }), UserError);
  await assert.rejects(reduce(x, { method: 'pca', dims: 4 as 2 }), UserError);
  const bad = data.slice();
  bad[5] = Number.NaN;
  await assert.rejects(reduce({ ...x, data: bad }, { method: 'umap', dims: 2 }), /row 1/);
});
