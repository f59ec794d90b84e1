import assert from 'node:assert/strict';
import { test } from 'node:test';
import { centredGram, GRAM_MAX_ROWS, useGram } from '../../../src/reduce/pca/gram-pca.js';
import { pca } from '../../../src/reduce/pca/pca.js';
import { gaussian, mulberry32 } from '../../../src/reduce/rng.js';

/** n rows of d features: a decaying spectrum over `rank` random directions plus a little noise. */
function wideData(n: number, d: number, rank: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const dirs = Float64Array.from({ length: rank * d }, () => gaussian(rng));
  const data = new Float32Array(n * d);
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < rank; j++) {
      const a = 10 * 0.7 ** j * gaussian(rng);
      for (let c = 0; c < d; c++) data[p * d + c] += a * dirs[j * d + c];
    }
    for (let c = 0; c < d; c++) data[p * d + c] += 3 + 1e-3 * gaussian(rng);
  }
  return data;
}

test('Gram route: chosen for fewer rows than features (and not too many rows)', () => {
  assert.equal(useGram(200, 4096), true);
  assert.equal(useGram(5000, 4096), false);
  assert.equal(useGram(GRAM_MAX_ROWS + 1, 100_000), false);
  assert.equal(useGram(300, 128), false);
});

test('Gram matrix of the centred rows equals the direct products (odd n, d not a multiple of the block)', () => {
  const n = 7;
  const d = 301;
  const data = wideData(n, d, 3, 5);
  const mean = new Float64Array(d);
  for (let p = 0; p < n; p++) for (let c = 0; c < d; c++) mean[c] += data[p * d + c] / n;
  const g = centredGram(data, n, d, mean);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (data[i * d + c] - mean[c]) * (data[j * d + c] - mean[c]);
      assert.ok(Math.abs(g[i * n + j] - s) <= 1e-9 * Math.abs(g[i * n + i]), `G[${i},${j}]`);
    }
  }
});

test('randomised PCA of wide data (Gram route) matches exact PCA: variances, axes, projection', () => {
  const n = 90;
  const d = 150;
  const k = 6;
  const data = wideData(n, d, 12, 11);
  assert.ok(useGram(n, d));
  const exact = pca(data, n, d, k, { method: 'exact' });
  const gram = pca(data, n, d, k, { method: 'randomized', seed: 3 });
  for (let i = 0; i < k; i++) {
    const rel = Math.abs(gram.explainedVariance[i] - exact.explainedVariance[i]) / exact.explainedVariance[i];
    assert.ok(rel < 1e-6, `variance ${i}: relative error ${rel}`);
    let dot = 0;
    let norm = 0;
    for (let c = 0; c < d; c++) {
      dot += gram.components[i * d + c] * exact.components[i * d + c];
      norm += gram.components[i * d + c] ** 2;
    }
    assert.ok(Math.abs(norm - 1) < 1e-9, `axis ${i} length ${norm}`);
    assert.ok(dot > 1 - 1e-8, `axis ${i}: ${dot}`);
  }
  for (let v = 0; v < n * k; v++) assert.ok(Math.abs(gram.projected[v] - exact.projected[v]) < 1e-3);
  assert.deepEqual(pca(data, n, d, k, { method: 'randomized', seed: 3 }).projected, gram.projected);
});

test('Gram route: k beyond the rank gives zero axes and zero variance, no NaN', () => {
  const n = 5;
  const d = 40;
  const data = wideData(n, d, 2, 8); // rank 2 (+ tiny noise up to rank n - 1 = 4)
  const res = pca(data, n, d, 8, { method: 'randomized' });
  assert.ok(res.explainedVariance.every((v) => Number.isFinite(v)));
  assert.ok(res.projected.every((v) => Number.isFinite(v)));
  for (let i = n - 1; i < 8; i++) {
    assert.equal(res.explainedVariance[i], 0);
    assert.ok(res.components.subarray(i * d, i * d + d).every((v) => v === 0));
  }
});
