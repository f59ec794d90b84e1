import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knn, knnAsync, PARALLEL_KNN_MIN_POINTS } from '../../../src/reduce/knn/knn.js';
import { mulberry32 } from '../../../src/reduce/rng.js';

test('exact kNN on 2 and 3 threads equals the one-thread search (distinct distances)', async () => {
  const n = PARALLEL_KNN_MIN_POINTS + 77;
  const d = 12;
  const rng = mulberry32(4);
  const data = Float32Array.from({ length: n * d }, () => rng() * 10);
  const one = knn(data, n, d, 15, { method: 'exact' });
  for (const threads of [2, 3]) {
    const many = await knnAsync(data, n, d, 15, { method: 'exact', threads });
    assert.equal(many.method, 'exact');
    assert.deepEqual(many.indices, one.indices, `${threads} threads`);
    assert.deepEqual(many.distances, one.distances);
  }
});

test('parallel exact kNN with duplicate rows: deterministic, ties by index, true k-th distances', async () => {
  const n = PARALLEL_KNN_MIN_POINTS + 10;
  const d = 3;
  const rng = mulberry32(8);
  // About four copies of every distinct row: many neighbours at distance 0.
  const distinct = Math.floor(n / 4);
  const data = new Float32Array(n * d);
  for (let i = 0; i < distinct * d; i++) data[i] = rng();
  for (let i = distinct; i < n; i++) data.copyWithin(i * d, (i % distinct) * d, (i % distinct) * d + d);
  const one = knn(data, n, d, 6, { method: 'exact' });
  const a = await knnAsync(data, n, d, 6, { method: 'exact', threads: 2 });
  const b = await knnAsync(data, n, d, 6, { method: 'exact', threads: 2 });
  assert.deepEqual(a.indices, b.indices);
  // Same distances as the one-thread search (which neighbour is kept among exact ties may differ).
  assert.deepEqual(a.distances, one.distances);
  for (let i = 0; i < n; i++) {
    for (let j = 1; j < 6; j++) {
      const p = a.distances[i * 6 + j - 1];
      const q = a.distances[i * 6 + j];
      assert.ok(p < q || (p === q && a.indices[i * 6 + j - 1] < a.indices[i * 6 + j]));
    }
  }
});
