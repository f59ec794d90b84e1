import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jointProbabilities } from '../../../src/reduce/tsne/affinities.js';
import { attractiveForces } from '../../../src/reduce/tsne/gradient-attractive.js';
import { repulsiveForcesExact } from '../../../src/reduce/tsne/gradient-bh.js';
import { klDivergence } from '../../../src/reduce/tsne/kl-divergence.js';
import { bruteKnn, gaussianClusters, randomPositions } from './helpers.js';

for (const dims of [2, 3] as const) {
  test(`${dims}D: attractive - repulsive / Z is a quarter of the numerical KL gradient`, () => {
    const n = 40;
    const { data } = gaussianClusters(n, 5, 2, 31);
    const k = 15;
    const { indices, distances } = bruteKnn(data, n, 5, k);
    const p = jointProbabilities(indices, distances, n, k, 5);
    const y = randomPositions(n, dims, 1, 32);
    const attr = new Float64Array(n * dims);
    attractiveForces(p, y, dims, 1, attr, 0, n);
    const rep = new Float64Array(n * dims);
    const z = repulsiveForcesExact(y, n, dims, rep);
    const kl = (pos: Float64Array) => {
      const scratch = new Float64Array(n * dims);
      return klDivergence(p, pos, dims, repulsiveForcesExact(pos, n, dims, scratch));
    };
    const h = 1e-6;
    for (const idx of [0, 7, 3 * dims + 1, n * dims - 1]) {
      const plus = y.slice();
      const minus = y.slice();
      plus[idx] += h;
      minus[idx] -= h;
      const numeric = (kl(plus) - kl(minus)) / (2 * h);
      const analytic = 4 * (attr[idx] - rep[idx] / z);
      assert.ok(Math.abs(numeric - analytic) < 1e-6 + 1e-4 * Math.abs(numeric), `${numeric} vs ${analytic}`);
    }
  });
}

test('exaggeration scales the attractive forces linearly', () => {
  const n = 30;
  const { data } = gaussianClusters(n, 4, 3, 33);
  const { indices, distances } = bruteKnn(data, n, 4, 10);
  const p = jointProbabilities(indices, distances, n, 10, 3);
  const y = randomPositions(n, 2, 1, 34);
  const a1 = new Float64Array(n * 2);
  const a12 = new Float64Array(n * 2);
  attractiveForces(p, y, 2, 1, a1, 0, n);
  attractiveForces(p, y, 2, 12, a12, 0, n);
  for (let i = 0; i < a1.length; i++) assert.ok(Math.abs(a12[i] - 12 * a1[i]) < 1e-15);
});
