import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pca } from '../../../src/reduce/pca/pca.js';
import { symmetricEigen } from '../../../src/reduce/pca/symmetric-eigen.js';
import { gaussian, mulberry32 } from '../../../src/reduce/rng.js';
import { scaledGaussian } from '../knn/synthetic-data.js';

/** Sample covariance (n - 1) computed the naive way, as an independent reference. */
function covariance(data: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += data[i * d + c] / n;
  const cov = new Float64Array(d * d);
  for (let p = 0; p < d; p++)
    for (let q = 0; q < d; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (data[i * d + p] - mean[p]) * (data[i * d + q] - mean[q]);
      cov[p * d + q] = s / (n - 1);
    }
  return cov;
}

test('Jacobi eigen-decomposition reconstructs a random symmetric matrix', () => {
  const m = 9;
  const rng = mulberry32(3);
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) a[i * m + j] = a[j * m + i] = gaussian(rng);
  const { values, vectors } = symmetricEigen(a, m);
  for (let i = 1; i < m; i++) assert.ok(values[i] <= values[i - 1]);
  // A v_i = lambda_i v_i and V orthonormal.
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += a[r * m + c] * vectors[i * m + c];
      assert.ok(Math.abs(s - values[i] * vectors[i * m + r]) < 1e-10);
    }
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let c = 0; c < m; c++) dot += vectors[i * m + c] * vectors[j * m + c];
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-10);
    }
  }
});

test('exact PCA: components are covariance eigenvectors, variances its eigenvalues, projection consistent', () => {
  const n = 500;
  const scales = [5, 3, 2, 1, 0.5, 0.25];
  const d = scales.length;
  const data = scaledGaussian(n, scales, 1);
  const k = 3;
  const res = pca(data, n, d, k, { method: 'exact' });
  const cov = covariance(data, n, d);
  for (let i = 0; i < k; i++) {
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += cov[r * d + c] * res.components[i * d + c];
      assert.ok(Math.abs(s - res.explainedVariance[i] * res.components[i * d + r]) < 1e-8);
    }
    // Variance of the projected column equals the explained variance.
    let mean = 0;
    for (let p = 0; p < n; p++) mean += res.projected[p * k + i] / n;
    let v = 0;
    for (let p = 0; p < n; p++) v += (res.projected[p * k + i] - mean) ** 2 / (n - 1);
    assert.ok(Math.abs(mean) < 1e-9);
    assert.ok(Math.abs(v - res.explainedVariance[i]) < 1e-8 * res.explainedVariance[i]);
    // Sign convention: largest-|value| entry positive; roughly aligned with axis i here.
    const row = Array.from(res.components.subarray(i * d, i * d + d));
    const big = row.reduce((b, x, j) => (Math.abs(x) > Math.abs(row[b]) ? j : b), 0);
    assert.ok(row[big] > 0);
    assert.equal(big, i);
  }
  assert.ok(Math.abs(res.explainedVariance[0] - 25) < 4, `${res.explainedVariance[0]}`);
});

test('randomised PCA matches the exact subspace and variances, and is deterministic for a seed', () => {
  const n = 800;
  const d = 60;
  // Decaying spectrum, then random rotation so the axes are not the coordinate axes.
  const scales = Array.from({ length: d }, (_, j) => 10 * 0.8 ** j);
  const base = scaledGaussian(n, scales, 2);
  const rng = mulberry32(4);
  const rot = new Float64Array(d * d);
  for (let i = 0; i < rot.length; i++) rot[i] = gaussian(rng);
  // Orthonormalise the rotation by Gram-Schmidt.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += rot[i * d + c] * rot[j * d + c];
      for (let c = 0; c < d; c++) rot[i * d + c] -= dot * rot[j * d + c];
    }
    let nrm = 0;
    for (let c = 0; c < d; c++) nrm += rot[i * d + c] ** 2;
    for (let c = 0; c < d; c++) rot[i * d + c] /= Math.sqrt(nrm);
  }
  const data = new Float32Array(n * d);
  for (let p = 0; p < n; p++)
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += base[p * d + j] * rot[j * d + c];
      data[p * d + c] = s;
    }
  const k = 5;
  const exact = pca(data, n, d, k, { method: 'exact' });
  const rand = pca(data, n, d, k, { method: 'randomized', seed: 9 });
  for (let i = 0; i < k; i++) {
    assert.ok(
      Math.abs(rand.explainedVariance[i] - exact.explainedVariance[i]) < 1e-6 * exact.explainedVariance[i],
    );
    let dot = 0;
    for (let c = 0; c < d; c++) dot += rand.components[i * d + c] * exact.components[i * d + c];
    // Same sign convention, so the same vector (not just the same line).
    assert.ok(dot > 1 - 1e-8, `component ${i}: ${dot}`);
  }
  const again = pca(data, n, d, k, { method: 'randomized', seed: 9 });
  assert.deepEqual(again.projected, rand.projected);
});

test('k beyond the rank gives zero components; identical points give zero variance without NaN', () => {
  const data = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3 points on a line in 2-D
  const res = pca(data, 3, 2, 3);
  assert.equal(res.components.length, 6);
  assert.ok(res.explainedVariance[0] > 0);
  assert.equal(res.explainedVariance[1], 0);
  assert.ok(Array.from(res.components.subarray(2)).every((v) => v === 0));
  const same = pca(new Float32Array(20).fill(3), 10, 2, 2);
  assert.ok(Array.from(same.projected).every((v) => v === 0));
  assert.ok(Array.from(same.explainedVariance).every((v) => v === 0));
  const sameRand = pca(new Float32Array(20).fill(3), 10, 2, 2, { method: 'randomized' });
  assert.ok(Array.from(sameRand.projected).every((v) => Number.isFinite(v) && v === 0));
});
