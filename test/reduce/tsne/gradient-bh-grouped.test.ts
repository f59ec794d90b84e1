import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repulsiveForcesBh, repulsiveForcesExact, sumInOrder } from '../../../src/reduce/tsne/gradient-bh.js';
import {
  GROUP_SIZE,
  groupCount,
  InteractionList,
  repulsiveForcesBhGrouped,
} from '../../../src/reduce/tsne/gradient-bh-grouped.js';
import { FlatTree, SpTree } from '../../../src/reduce/tsne/sptree.js';
import { randomPositions, relativeError } from './helpers.js';

function flatTree(y: Float64Array, n: number, dims: 2 | 3 = 2): FlatTree {
  const tree = new SpTree(dims);
  tree.build(y, n);
  const flat = new FlatTree(dims);
  flat.fill(tree, n);
  return flat;
}

test('grouped Barnes-Hut (2D, 3D): close to the exact sums, at least as accurate as per-point Barnes-Hut', () => {
  for (const [n, scale, dims] of [
    [1200, 1, 2],
    [1500, 30, 2],
    [2003, 8, 2],
    [1200, 1, 3],
    [1501, 20, 3],
  ] as const) {
    const y = randomPositions(n, dims, scale, 17);
    const exact = new Float64Array(dims * n);
    const zExact = repulsiveForcesExact(y, n, dims, exact);
    const flat = flatTree(y, n, dims);
    const zp = new Float64Array(n);
    const grouped = new Float64Array(dims * n);
    repulsiveForcesBhGrouped(flat, n, y, 0.5, grouped, zp, 0, groupCount(n, dims), new InteractionList());
    const zGrouped = sumInOrder(zp, n);
    const plain = new Float64Array(dims * n);
    repulsiveForcesBh(flat, y, 0.5, plain, zp, 0, n);
    const zPlain = sumInOrder(zp, n);
    const errGrouped = relativeError(grouped, exact);
    const errPlain = relativeError(plain, exact);
    assert.ok(errGrouped < 0.03, `force error ${errGrouped} (n ${n}, scale ${scale}, ${dims}D)`);
    assert.ok(errGrouped <= errPlain * 1.05, `grouped ${errGrouped} vs per point ${errPlain}`);
    assert.ok(Math.abs(zGrouped - zExact) <= Math.abs(zPlain - zExact) * 1.05 + 1e-9 * zExact);
  }
});

test('grouped Barnes-Hut: any split into group ranges gives the same numbers; duplicates count fully', () => {
  const n = 1000;
  const y = randomPositions(n, 2, 5, 3);
  // A few exact duplicates (they share a leaf and are listed after the other points).
  for (let i = 0; i < 20; i++) {
    y[2 * (500 + i)] = y[2 * i];
    y[2 * (500 + i) + 1] = y[2 * i + 1];
  }
  const flat = flatTree(y, n);
  const whole = new Float64Array(2 * n);
  const zWhole = new Float64Array(n);
  repulsiveForcesBhGrouped(flat, n, y, 0.5, whole, zWhole, 0, groupCount(n), new InteractionList());
  const parts = new Float64Array(2 * n);
  const zParts = new Float64Array(n);
  const cut = 37;
  const list = new InteractionList();
  repulsiveForcesBhGrouped(flat, n, y, 0.5, parts, zParts, 0, cut, list);
  repulsiveForcesBhGrouped(flat, n, y, 0.5, parts, zParts, cut, groupCount(n), list);
  assert.deepEqual(parts, whole);
  assert.deepEqual(zParts, zWhole);
  assert.equal(groupCount(n), Math.ceil(n / GROUP_SIZE));
  const exact = new Float64Array(2 * n);
  const zExact = repulsiveForcesExact(y, n, 2, exact);
  assert.ok(Math.abs(sumInOrder(zWhole, n) - zExact) / zExact < 0.01);
});

test('grouped Barnes-Hut in WebAssembly equals the TypeScript walk bit for bit (2D, 3D, odd n, duplicates)', () => {
  assert.ok(new InteractionList().wasm !== null, 'wasm/barnes-hut.wasm missing: run npm run build:wasm');
  for (const [n, scale, dims] of [
    [1201, 1, 2],
    [2003, 40, 2],
    [1201, 1, 3],
    [1999, 25, 3],
  ] as const) {
    const y = randomPositions(n, dims, scale, 23);
    for (let i = 0; i < 10; i++) {
      for (let k = 0; k < dims; k++) y[dims * (600 + i) + k] = y[dims * i + k];
    }
    const flat = flatTree(y, n, dims);
    const ts = new Float64Array(dims * n);
    const zTs = new Float64Array(n);
    repulsiveForcesBhGrouped(flat, n, y, 0.5, ts, zTs, 0, groupCount(n, dims), new InteractionList(false));
    const wasm = new Float64Array(dims * n);
    const zWasm = new Float64Array(n);
    const list = new InteractionList();
    // In two ranges, as two threads would, on one instance.
    repulsiveForcesBhGrouped(flat, n, y, 0.5, wasm, zWasm, 0, 41, list);
    repulsiveForcesBhGrouped(flat, n, y, 0.5, wasm, zWasm, 41, groupCount(n, dims), list);
    assert.deepEqual(wasm, ts);
    assert.deepEqual(zWasm, zTs);
  }
});
