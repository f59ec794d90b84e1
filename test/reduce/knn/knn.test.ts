import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kdTreeQueryKnn } from '../../../src/reduce/knn/kd-tree.js';
import {
  KNN_DEFAULTS,
  knn,
  knnAsync,
  PARALLEL_KNN_MIN_POINTS,
  resolveKnnOptions,
} from '../../../src/reduce/knn/knn.js';
import { gaussian, mulberry32 } from '../../../src/reduce/rng.js';
import { gaussianClusters, recall } from './synthetic-data.js';

/** Reference: all distances per row, sorted by (distance, index). */
function bruteForce(data: Float32Array, n: number, d: number, k: number) {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2;
      row.push([Math.sqrt(s), j]);
    }
    row.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    indices.push(row.slice(0, k).map((x) => x[1]));
    distances.push(row.slice(0, k).map((x) => x[0]));
  }
  return { indices, distances };
}

test('exact kNN equals brute force on random data (indices, distances, ascending order)', () => {
  const n = 301;
  const d = 7;
  const k = 12;
  const rng = mulberry32(11);
  const data = Float32Array.from({ length: n * d }, () => gaussian(rng));
  const res = knn(data, n, d, k, { method: 'exact' });
  assert.equal(res.k, k);
  assert.equal(res.method, 'exact');
  const ref = bruteForce(data, n, d, k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      assert.equal(res.indices[i * k + j], ref.indices[i][j], `row ${i} rank ${j}`);
      assert.ok(Math.abs(res.distances[i * k + j] - ref.distances[i][j]) < 1e-4 * (1 + ref.distances[i][j]));
      if (j > 0) assert.ok(res.distances[i * k + j] >= res.distances[i * k + j - 1]);
    }
  }
});

test('duplicates have distance 0 and k >= n is clamped to n - 1', () => {
  // Rows 0, 2 and 4 are identical; rows 1 and 3 are identical.
  const data = Float32Array.from([1, 2, 5, 5, 1, 2, 5, 5, 1, 2, 9, 0]);
  const res = knn(data, 6, 2, 10);
  assert.equal(res.k, 5);
  assert.deepEqual(Array.from(res.indices.subarray(0, 2)), [2, 4]);
  assert.deepEqual(Array.from(res.distances.subarray(0, 2)), [0, 0]);
  assert.equal(res.indices[5], 3);
  assert.equal(res.distances[5], 0);
  for (let i = 0; i < 6; i++) {
    const row = Array.from(res.indices.subarray(i * 5, i * 5 + 5));
    assert.ok(!row.includes(i), 'self excluded');
    assert.equal(new Set(row).size, 5, 'no repeated neighbour');
  }
});

test('all-identical points: every distance is 0, both methods, no self and no repeats', () => {
  const n = 40;
  const data = new Float32Array(n * 3).fill(0.5);
  for (const method of ['exact', 'approx'] as const) {
    const res = knn(data, n, 3, 5, { method });
    assert.ok(res.distances.every((v) => v === 0));
    for (let i = 0; i < n; i++) {
      const row = Array.from(res.indices.subarray(i * 5, i * 5 + 5));
      assert.ok(!row.includes(i) && new Set(row).size === 5 && row.every((j) => j >= 0 && j < n), method);
    }
  }
});

test('approximate kNN (NN-descent) reaches recall >= 0.95 against exact and is deterministic', () => {
  const n = 3000;
  const d = 16;
  const k = 15;
  const { data } = gaussianClusters(n, d, 8, 5, 4, 1);
  const exact = knn(data, n, d, k, { method: 'exact' });
  const approx = knn(data, n, d, k, { method: 'approx', seed: 7 });
  assert.equal(approx.method, 'approx');
  const r = recall(approx.indices, exact.indices, n, k);
  assert.ok(r >= 0.95, `recall ${r}`);
  const again = knn(data, n, d, k, { method: 'approx', seed: 7 });
  assert.deepEqual(again.indices, approx.indices);
  // Distances reported by approx are true distances of the reported neighbours.
  for (let i = 0; i < n; i += 97) {
    const j = approx.indices[i * k];
    let s = 0;
    for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2;
    assert.ok(Math.abs(Math.sqrt(s) - approx.distances[i * k]) < 1e-4);
  }
});

test('auto picks exact for small n; k = 0 and n = 1 are handled', () => {
  const { data } = gaussianClusters(50, 3, 2, 1);
  assert.equal(knn(data, 50, 3, 5).method, 'exact');
  assert.equal(knn(data, 50, 3, 0).indices.length, 0);
  assert.equal(knn(data, 1, 3, 5).k, 0);
});

test('k-d tree query kNN equals brute force in 2-D and 3-D (clustered data, with duplicates)', () => {
  for (const dims of [2, 3]) {
    const n = 2000;
    const { data } = gaussianClusters(n, dims, 7, 9 + dims, 5, 1);
    // Duplicate a few points exactly.
    for (let i = 0; i < 20; i++) data.copyWithin((i + 100) * dims, i * dims, i * dims + dims);
    const queries = Int32Array.from({ length: 300 }, (_, i) => i * 6);
    const k = 10;
    const tree = kdTreeQueryKnn(data, n, dims, queries, k);
    const full = knn(data, n, dims, k, { method: 'exact' });
    for (let qi = 0; qi < queries.length; qi++) {
      const q = queries[qi];
      const dist = (j: number) => {
        let s = 0;
        for (let c = 0; c < dims; c++) s += (data[q * dims + c] - data[j * dims + c]) ** 2;
        return Math.sqrt(s);
      };
      for (let t = 0; t < k; t++) {
        // Same distances rank by rank (indices may differ only between exactly tied points).
        assert.ok(
          Math.abs(dist(tree[qi * k + t]) - full.distances[q * k + t]) < 1e-4,
          `dims ${dims} query ${q} rank ${t}`,
        );
        assert.notEqual(tree[qi * k + t], q);
      }
    }
  }
});

test("'auto' kNN: exact up to exactMaxPoints on one thread, exactMaxPointsThreaded on several", () => {
  const between = KNN_DEFAULTS.exactMaxPoints + 1;
  assert.ok(between <= KNN_DEFAULTS.exactMaxPointsThreaded);
  assert.equal(resolveKnnOptions(between, 90).method, 'approx');
  assert.equal(resolveKnnOptions(between, 90, { threads: 2 }).method, 'exact');
  assert.equal(
    resolveKnnOptions(KNN_DEFAULTS.exactMaxPointsThreaded + 1, 90, { threads: 4 }).method,
    'approx',
  );
  assert.equal(resolveKnnOptions(between, 90, { threads: 2, method: 'approx' }).method, 'approx');
});

test('a failed parallel search runs again on one thread, with the same neighbours and a warning', async () => {
  const n = PARALLEL_KNN_MIN_POINTS;
  const { data } = gaussianClusters(n, 4, 3, 77);
  const broken = async (): Promise<never> => {
    throw new Error('worker threads are not available here');
  };
  const r = await knnAsync(
    data,
    n,
    4,
    10,
    { method: 'exact', threads: 2 },
    { exact: broken, approx: broken },
  );
  const one = knn(data, n, 4, 10, { method: 'exact' });
  assert.deepEqual(r.indices, one.indices);
  assert.deepEqual(r.warnings, [
    'The parallel neighbour search failed (worker threads are not available here); it ran again on one thread.',
  ]);
  const ok = await knnAsync(data, n, 4, 10, { method: 'exact', threads: 2 });
  assert.equal(ok.warnings, undefined);
});
