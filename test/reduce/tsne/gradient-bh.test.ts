import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  repulsiveForcesBh,
  repulsiveForcesExact,
  traversalStack,
} from '../../../src/reduce/tsne/gradient-bh.js';
import { SpTree } from '../../../src/reduce/tsne/sptree.js';
import { randomPositions, relativeError } from './helpers.js';

for (const dims of [2, 3] as const) {
  test(`${dims}D tree: counts and centres of mass are consistent`, () => {
    const n = 500;
    const y = randomPositions(n, dims, 3, 11);
    const tree = new SpTree(dims);
    tree.build(y, n);
    assert.equal(tree.count[0], n);
    let leafPoints = 0;
    for (let node = 0; node < tree.size; node++) {
      const fc = tree.firstChild[node];
      if (fc < 0) {
        leafPoints += tree.count[node];
        continue;
      }
      let c = 0;
      const com = new Float64Array(dims);
      for (let ch = 0; ch < tree.nChildren; ch++) {
        c += tree.count[fc + ch];
        for (let k = 0; k < dims; k++) com[k] += tree.com[(fc + ch) * dims + k] * tree.count[fc + ch];
      }
      assert.equal(c, tree.count[node]);
      for (let k = 0; k < dims; k++) assert.ok(Math.abs(com[k] / c - tree.com[node * dims + k]) < 1e-9);
    }
    assert.equal(leafPoints, n);
  });

  test(`${dims}D Barnes-Hut with theta = 0 equals the exact sum`, () => {
    const n = 400;
    const y = randomPositions(n, dims, 5, 12);
    const exact = new Float64Array(n * dims);
    const zExact = repulsiveForcesExact(y, n, dims, exact);
    const tree = new SpTree(dims);
    tree.build(y, n);
    const bh = new Float64Array(n * dims);
    const z = repulsiveForcesBh(tree, y, 0, bh, traversalStack(dims), 0, n);
    assert.ok(Math.abs(z - zExact) / zExact < 1e-12);
    assert.ok(relativeError(bh, exact) < 1e-12);
  });

  test(`${dims}D Barnes-Hut (theta 0.5) is close to the exact normalised repulsion`, () => {
    const n = 1000;
    for (const scale of [0.5, 5, 30]) {
      const y = randomPositions(n, dims, scale, 13);
      const exact = new Float64Array(n * dims);
      const zExact = repulsiveForcesExact(y, n, dims, exact);
      const tree = new SpTree(dims);
      tree.build(y, n);
      const bh = new Float64Array(n * dims);
      const z = repulsiveForcesBh(tree, y, 0.5, bh, traversalStack(dims), 0, n);
      assert.ok(Math.abs(z - zExact) / zExact < 0.02, `Z at scale ${scale}: ${z} vs ${zExact}`);
      const fe = exact.map((v) => v / zExact);
      const fb = bh.map((v) => v / z);
      const err = relativeError(fb, fe);
      assert.ok(err < 0.03, `force error ${err} at scale ${scale}`);
    }
  });

  test(`${dims}D duplicates: exact sum counted, no NaN, splitting ranges gives the same result`, () => {
    const n = 300;
    const y = randomPositions(n, dims, 2, 14);
    for (let i = 0; i < 50; i++) for (let k = 0; k < dims; k++) y[(n - 1 - i) * dims + k] = y[i * dims + k];
    const exact = new Float64Array(n * dims);
    const zExact = repulsiveForcesExact(y, n, dims, exact);
    const tree = new SpTree(dims);
    tree.build(y, n);
    const bh = new Float64Array(n * dims);
    const z = repulsiveForcesBh(tree, y, 0, bh, traversalStack(dims), 0, n);
    assert.ok(Math.abs(z - zExact) / zExact < 1e-12);
    assert.ok(relativeError(bh, exact) < 1e-12);
    const parts = new Float64Array(n * dims);
    const z1 = repulsiveForcesBh(tree, y, 0.5, parts, traversalStack(dims), 0, 100);
    const z2 = repulsiveForcesBh(tree, y, 0.5, parts, traversalStack(dims), 100, n);
    const whole = new Float64Array(n * dims);
    const zw = repulsiveForcesBh(tree, y, 0.5, whole, traversalStack(dims), 0, n);
    assert.ok(Math.abs(z1 + z2 - zw) / zw < 1e-12);
    assert.deepEqual(parts, whole);
  });
}

test('all points identical: Z = N (N - 1), zero forces', () => {
  const n = 50;
  const y = new Float64Array(n * 2).fill(3);
  const tree = new SpTree(2);
  tree.build(y, n);
  const out = new Float64Array(n * 2);
  const z = repulsiveForcesBh(tree, y, 0.5, out, traversalStack(2), 0, n);
  assert.equal(z, n * (n - 1));
  for (const v of out) assert.equal(v, 0);
});
