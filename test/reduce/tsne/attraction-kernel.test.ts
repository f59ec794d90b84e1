import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jointProbabilities } from '../../../src/reduce/tsne/affinities.js';
import { AttractionKernel } from '../../../src/reduce/tsne/attraction-kernel.js';
import { attractiveForces } from '../../../src/reduce/tsne/gradient-attractive.js';
import { bruteKnn, gaussianClusters, randomPositions } from './helpers.js';

test('the attraction WebAssembly module is built (npm ci runs build:wasm through prepare)', () => {
  const { data } = gaussianClusters(20, 3, 2, 1);
  const { indices, distances } = bruteKnn(data, 20, 3, 5);
  const p = jointProbabilities(indices, distances, 20, 5, 2);
  assert.ok(new AttractionKernel(p, 2).usesWasm, 'wasm/attraction.wasm missing: run npm run build:wasm');
  assert.ok(!new AttractionKernel(p, 2, 0, 20, false).usesWasm);
});

for (const dims of [2, 3] as const) {
  test(`${dims}D: WebAssembly attraction equals attractiveForces bit for bit, on blocks of rows`, () => {
    const n = 300;
    const { data } = gaussianClusters(n, 8, 4, 11);
    const k = 20;
    const { indices, distances } = bruteKnn(data, n, 8, k);
    const p = jointProbabilities(indices, distances, n, k, 7);
    const y = randomPositions(n, dims, 10, 12);
    const want = new Float64Array(n * dims);
    attractiveForces(p, y, dims, 12, want, 0, n);
    const got = new Float64Array(n * dims).fill(Number.NaN);
    // Two blocks, as two threads hold them, each asked for sub-ranges.
    const a = new AttractionKernel(p, dims, 0, 170);
    const b = new AttractionKernel(p, dims, 120, n);
    a.compute(y, 12, got, 0, 100);
    b.compute(y, 12, got, 150, n);
    a.compute(y, 12, got, 100, 150);
    assert.deepEqual(got, want);
    assert.throws(() => a.compute(y, 1, got, 100, 200), /outside/);
  });
}
