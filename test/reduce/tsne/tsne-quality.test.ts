import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsne } from '../../../src/reduce/tsne/tsne.js';
import { gaussianClusters, knnLabelAccuracy } from './helpers.js';

const allFinite = (a: Float32Array) => a.every((v) => Number.isFinite(v));

for (const [dims, method] of [
  [2, 'bh'],
  [2, 'fft'],
  [3, 'bh'],
] as const) {
  test(`${dims}D ${method}: well-separated clusters stay separated (10-NN label accuracy > 0.95)`, async () => {
    const n = 600;
    const d = 20;
    const { data, labels } = gaussianClusters(n, d, 6, 41);
    // FFT's grid costs the same at any N: fewer iterations keep the file fast (the clusters separate
    // during early exaggeration already).
    const iterations = method === 'fft' ? 450 : 750;
    const r = await tsne({ data, rows: n, cols: d }, { dims, method, seed: 1, iterations });
    assert.equal(r.embedding.length, n * dims);
    assert.ok(allFinite(r.embedding));
    const acc = knnLabelAccuracy(r.embedding, labels, dims);
    assert.ok(acc > 0.95, `accuracy ${acc}`);
    assert.ok(r.klDivergence > 0 && r.klDivergence < 3, `KL ${r.klDivergence}`);
    assert.equal(r.resolved.method, method);
  });
}
