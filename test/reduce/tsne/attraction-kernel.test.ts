import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jointProbabilities } from '../../../src/reduce/tsne/affinities.js';
import { orderedJointProbabilities } from '../../../src/reduce/tsne/affinities-ordered.js';
import { AttractionKernel } from '../../../src/reduce/tsne/attraction-kernel.js';
import { csrInWasmMemory } from '../../../src/reduce/tsne/attraction-memory.js';
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

test('P in a shared WebAssembly memory: every kernel reads it in place, with the same forces bit for bit', () => {
  const n = 300;
  const dims = 2;
  const { data } = gaussianClusters(n, 8, 4, 13);
  const k = 20;
  const { indices, distances } = bruteKnn(data, n, 8, k);
  const given = jointProbabilities(indices, distances, n, k, 7);
  const p = csrInWasmMemory(n, given.cols.length);
  assert.ok(p?.memory, 'P fits in a WebAssembly memory');
  p.rowPtr.set(given.rowPtr);
  p.cols.set(given.cols);
  p.vals.set(given.vals);
  const y = randomPositions(n, dims, 10, 14);
  const want = new Float64Array(n * dims);
  attractiveForces(given, y, dims, 12, want, 0, n);
  const a = new AttractionKernel(p, dims, 0, 170);
  const b = new AttractionKernel(p, dims, 120, n);
  assert.ok(a.usesWasm && b.usesWasm);
  const got = new Float64Array(n * dims).fill(Number.NaN);
  a.compute(y, 12, got, 0, 150);
  b.compute(y, 12, got, 150, n);
  assert.deepEqual(got, want);
  // No copy of P: the memory holds P once plus the two kernels' scratch (positions and forces each).
  const pBytes = 4 * (n + 1) + 8 * given.cols.length;
  assert.ok(p.memory.buffer.byteLength <= pBytes + 2 * 2 * 8 * dims * n + 8 * 65536);
  // ... and a change to P is what the kernels see next: doubling P doubles the forces exactly.
  for (let e = 0; e < p.vals.length; e++) p.vals[e] *= 2;
  a.compute(y, 12, got, 0, 150);
  b.compute(y, 12, got, 150, n);
  assert.deepEqual(
    got,
    want.map((f) => 2 * f),
  );
});

test('P built for threads lies in a shared WebAssembly memory that the attraction kernel imports', () => {
  const n = 400;
  const { data } = gaussianClusters(n, 6, 3, 15);
  const k = 15;
  const { indices, distances } = bruteKnn(data, n, 6, k);
  const { p } = orderedJointProbabilities(indices, Float32Array.from(distances), n, k, 5, true);
  assert.ok(p.memory !== undefined);
  assert.ok(p.cols.buffer instanceof SharedArrayBuffer);
  const plain = orderedJointProbabilities(indices, Float32Array.from(distances), n, k, 5, false).p;
  assert.equal(plain.memory, undefined);
  assert.deepEqual(p.vals, plain.vals);
  assert.deepEqual(p.cols, plain.cols);
  const y = randomPositions(n, 3, 10, 16);
  const want = new Float64Array(3 * n);
  const got = new Float64Array(3 * n);
  new AttractionKernel(plain, 3).compute(y, 1, want, 0, n);
  new AttractionKernel(p, 3).compute(y, 1, got, 0, n);
  assert.deepEqual(got, want);
});
