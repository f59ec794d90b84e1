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

function flatTree(y: Float64Array, n: number): FlatTree {
  const tree = new SpTree(2);
  tree.build(y, n);
  const flat = new FlatTree(2);
  flat.fill(tree, n);
  return flat;
}

test('grouped Barnes-Hut: close to the exact sums, at least as accurate as per-point Barnes-Hut', () => {
  for (const [n, scale] of [
    [1200, 1],
    [1500, 30],
    [2003, 8],
  ] as const) {
    const y = randomPositions(n, 2, scale, 17);
    const exact = new Float64Array(2 * n);
    const zExact = repulsiveForcesExact(y, n, 2, exact);
    const flat = flatTree(y, n);
    const zp = new Float64Array(n);
    const grouped = new Float64Array(2 * n);
    repulsiveForcesBhGrouped(flat, n, y, 0.5, grouped, zp, 0, groupCount(n), new InteractionList());
    const zGrouped = sumInOrder(zp, n);
    const plain = new Float64Array(2 * n);
    repulsiveForcesBh(flat, y, 0.5, plain, zp, 0, n);
    const zPlain = sumInOrder(zp, n);
    const errGrouped = relativeError(grouped, exact);
    const errPlain = relativeError(plain, exact);
    assert.ok(errGrouped < 0.03, `force error ${errGrouped} (n ${n}, scale ${scale})`);
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

test('grouped Barnes-Hut in WebAssembly equals the TypeScript walk bit for bit (odd n, duplicates)', () => {
  assert.ok(new InteractionList().wasm !== null, 'wasm/barnes-hut.wasm missing: run npm run build:wasm');
  for (const [n, scale] of [
    [1201, 1],
    [2003, 40],
  ] as const) {
    const y = randomPositions(n, 2, scale, 23);
    for (let i = 0; i < 10; i++) {
      y[2 * (600 + i)] = y[2 * i];
      y[2 * (600 + i) + 1] = y[2 * i + 1];
    }
    const flat = flatTree(y, n);
    const ts = new Float64Array(2 * n);
    const zTs = new Float64Array(n);
    repulsiveForcesBhGrouped(flat, n, y, 0.5, ts, zTs, 0, groupCount(n), new InteractionList(false));
    const wasm = new Float64Array(2 * n);
    const zWasm = new Float64Array(n);
    const list = new InteractionList();
    // In two ranges, as two threads would, on one instance.
    repulsiveForcesBhGrouped(flat, n, y, 0.5, wasm, zWasm, 0, 41, list);
    repulsiveForcesBhGrouped(flat, n, y, 0.5, wasm, zWasm, 41, groupCount(n), list);
    assert.deepEqual(wasm, ts);
    assert.deepEqual(zWasm, zTs);
  }
});
