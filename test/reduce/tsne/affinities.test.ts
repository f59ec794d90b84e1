import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  achievedPerplexities,
  conditionalProbabilities,
  jointProbabilities,
  neighboursForPerplexity,
  symmetrize,
} from '../../../src/reduce/tsne/affinities.js';
import { bruteKnn, gaussianClusters } from './helpers.js';

test('every point reaches the target perplexity', () => {
  const n = 300;
  const d = 10;
  const { data } = gaussianClusters(n, d, 3, 1);
  for (const perplexity of [5, 30]) {
    const k = neighboursForPerplexity(n, perplexity);
    const { distances } = bruteKnn(data, n, d, k);
    const cond = conditionalProbabilities(distances, n, k, perplexity);
    const achieved = achievedPerplexities(cond, n, k);
    for (let i = 0; i < n; i++) {
      // Entropy within 1e-5 nats => perplexity within a relative 1e-5.
      assert.ok(
        Math.abs(achieved[i] - perplexity) / perplexity < 2e-5,
        `row ${i}: ${achieved[i]} vs ${perplexity}`,
      );
      let sum = 0;
      for (let j = 0; j < k; j++) sum += cond[i * k + j];
      // P is stored as float32: the sum holds to float32 rounding.
      assert.ok(Math.abs(sum - 1) < 1e-5);
    }
  }
});

test('the search is scale invariant: far-apart data gives the same rows (no underflow)', () => {
  const n = 100;
  const d = 5;
  const { data } = gaussianClusters(n, d, 2, 2);
  const k = 30;
  const { distances } = bruteKnn(data, n, d, k);
  const far = distances.map((v) => v * 1e4);
  const a = conditionalProbabilities(distances, n, k, 10);
  const b = conditionalProbabilities(far, n, k, 10);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4);
});

test('identical points give uniform rows, never NaN', () => {
  const n = 20;
  const k = 19;
  const distances = new Float64Array(n * k); // all zero
  const cond = conditionalProbabilities(distances, n, k, 5);
  for (const v of cond) assert.ok(Math.abs(v - 1 / k) < 1e-12);
});

test('P is symmetric, non-negative and sums to 1', () => {
  const n = 200;
  const d = 8;
  const { data } = gaussianClusters(n, d, 4, 3);
  const k = 45;
  const { indices, distances } = bruteKnn(data, n, d, k);
  const p = jointProbabilities(indices, distances, n, k, 15);
  const dense = new Float64Array(n * n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>();
    for (let e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) {
      assert.ok(!seen.has(p.cols[e]), 'columns unique within a row');
      seen.add(p.cols[e]);
      assert.notEqual(p.cols[e], i);
      assert.ok(p.vals[e] > 0);
      dense[i * n + p.cols[e]] = p.vals[e];
      sum += p.vals[e];
    }
  }
  // P is stored as float32: the sum holds to float32 rounding.
  assert.ok(Math.abs(sum - 1) < 1e-5);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) assert.ok(Math.abs(dense[i * n + j] - dense[j * n + i]) < 1e-15);
});

test('symmetrize merges mutual neighbours: (p_j|i + p_i|j) / 2N', () => {
  // 3 points, k = 2: everyone is everyone's neighbour.
  const indices = Int32Array.from([1, 2, 0, 2, 0, 1]);
  const cond = Float64Array.from([0.7, 0.3, 0.6, 0.4, 0.5, 0.5]);
  const p = symmetrize(cond, indices, 3, 2);
  const get = (i: number, j: number) => {
    for (let e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) if (p.cols[e] === j) return p.vals[e];
    return 0;
  };
  assert.ok(Math.abs(get(0, 1) - (0.7 + 0.6) / 6) < 1e-8);
  assert.ok(Math.abs(get(1, 0) - (0.7 + 0.6) / 6) < 1e-8);
  assert.ok(Math.abs(get(0, 2) - (0.3 + 0.5) / 6) < 1e-8);
  assert.ok(Math.abs(get(1, 2) - (0.4 + 0.5) / 6) < 1e-8);
  assert.equal(p.rowPtr[3], 6);
});

test('k = min(N - 1, floor(3 perplexity))', () => {
  assert.equal(neighboursForPerplexity(1000, 30), 90);
  assert.equal(neighboursForPerplexity(50, 30), 49);
  assert.equal(neighboursForPerplexity(1, 30), 0);
});
