import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jointProbabilities } from '../../../src/reduce/tsne/affinities.js';
import {
  orderedJointProbabilities,
  orderedJointProbabilitiesAsync,
} from '../../../src/reduce/tsne/affinities-ordered.js';
import { bruteKnn, gaussianClusters } from './helpers.js';

test('ordered P equals jointProbabilities renumbered (float32 tolerance), built in shared memory on request', () => {
  const n = 600;
  const d = 6;
  const k = 30;
  const { data } = gaussianClusters(n, d, 5, 11);
  const { indices, distances } = bruteKnn(data, n, d, k);
  // float32 distances, as knn() returns them (the new function overwrites its copy).
  const f32 = Float32Array.from(distances);
  const reference = jointProbabilities(indices, f32, n, k, 10);
  const { p, order } = orderedJointProbabilities(indices, f32.slice(), n, k, 10, true);
  assert.ok(p.vals.buffer instanceof SharedArrayBuffer && p.cols.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(
    Array.from(order).sort((a, b) => a - b),
    Array.from({ length: n }, (_, i) => i),
    'order is a permutation',
  );
  assert.equal(p.rowPtr[n], reference.rowPtr[n], 'same number of entries');
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const want = new Map<number, number>();
    for (let e = reference.rowPtr[i]; e < reference.rowPtr[i + 1]; e++)
      want.set(reference.cols[e], reference.vals[e]);
    assert.equal(p.rowPtr[r + 1] - p.rowPtr[r], want.size, `row ${r}`);
    for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) {
      const j = order[p.cols[e]];
      const v = want.get(j);
      assert.ok(v !== undefined, `entry (${i}, ${j}) missing from the reference`);
      assert.ok(Math.abs(p.vals[e] - v) <= 1e-6 * v, `(${i}, ${j}): ${p.vals[e]} vs ${v}`);
      sum += p.vals[e];
    }
  }
  assert.ok(Math.abs(sum - 1) < 1e-5);
});

test('ordered P: neighbours get nearby numbers (breadth-first over the kNN graph)', () => {
  const n = 400;
  const d = 3;
  const k = 12;
  const { data } = gaussianClusters(n, d, 4, 2);
  const { indices, distances } = bruteKnn(data, n, d, k);
  const { p, order } = orderedJointProbabilities(indices, Float32Array.from(distances), n, k, 4);
  assert.equal(order[0], 0, 'the walk starts at point 0');
  // Row 0's own neighbours come next, in kNN order.
  for (let j = 0; j < k; j++) assert.equal(order[1 + j], indices[j]);
  // Columns stay close to their row on average (input order, clusters interleaved: ~n / 3).
  let spread = 0;
  for (let r = 0; r < n; r++)
    for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) spread += Math.abs(p.cols[e] - r);
  assert.ok(spread / p.rowPtr[n] < n / 8, `mean |col - row| ${spread / p.rowPtr[n]}`);
});

test('perplexity searches on 2 and 3 threads give the one-thread P exactly', async () => {
  const n = 900;
  const d = 5;
  const k = 24;
  const { data } = gaussianClusters(n, d, 3, 9);
  const { indices, distances } = bruteKnn(data, n, d, k);
  const shared = () => {
    const a = new Float32Array(new SharedArrayBuffer(4 * n * k));
    a.set(distances);
    return a;
  };
  const one = orderedJointProbabilities(indices, shared(), n, k, 8, true);
  for (const threads of [2, 3]) {
    const many = await orderedJointProbabilitiesAsync(indices, shared(), n, k, 8, threads);
    assert.deepEqual(many.order, one.order);
    assert.deepEqual(many.p.rowPtr, one.p.rowPtr);
    assert.deepEqual(many.p.cols, one.p.cols);
    assert.deepEqual(many.p.vals, one.p.vals, `${threads} threads`);
  }
});
