import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repulsiveForcesBh, repulsiveForcesExact, sumInOrder } from '../../../src/reduce/tsne/gradient-bh.js';
import { FlatTree, SpTree } from '../../../src/reduce/tsne/sptree.js';
import { randomPositions, relativeError } from './helpers.js';

/** Barnes-Hut for order positions [start, end): forces into `out`, returns those points' share of Z. */
function barnesHut(
  flat: FlatTree,
  y: Float64Array,
  theta: number,
  out: Float64Array,
  start: number,
  end: number,
): number {
  const n = out.length / flat.dims;
  const zPoint = new Float64Array(n);
  repulsiveForcesBh(flat, y, theta, out, zPoint, start, end);
  return sumInOrder(zPoint, n);
}

function flatten(tree: SpTree, n: number): FlatTree {
  const flat = new FlatTree(tree.dims);
  flat.fill(tree, n);
  return flat;
}

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
    const z = barnesHut(flatten(tree, n), y, 0, bh, 0, n);
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
      const z = barnesHut(flatten(tree, n), y, 0.5, bh, 0, n);
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
    const z = barnesHut(flatten(tree, n), y, 0, bh, 0, n);
    assert.ok(Math.abs(z - zExact) / zExact < 1e-12);
    assert.ok(relativeError(bh, exact) < 1e-12);
    const parts = new Float64Array(n * dims);
    const flat = flatten(tree, n);
    const z1 = barnesHut(flat, y, 0.5, parts, 0, 100);
    const z2 = barnesHut(flat, y, 0.5, parts, 100, n);
    const whole = new Float64Array(n * dims);
    const zw = barnesHut(flatten(tree, n), y, 0.5, whole, 0, n);
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
  const z = barnesHut(flatten(tree, n), y, 0.5, out, 0, n);
  assert.equal(z, n * (n - 1));
  for (const v of out) assert.equal(v, 0);
});

test('flattened tree: pre-order with skips, every point listed once', () => {
  for (const dims of [2, 3] as const) {
    const n = 300;
    const y = randomPositions(n, dims, 4, 15);
    for (let k = 0; k < dims; k++) y[5 * dims + k] = y[9 * dims + k]; // one duplicate
    const tree = new SpTree(dims);
    tree.build(y, n);
    const flat = flatten(tree, n);
    const s = flat.stride;
    assert.equal(flat.nodes[dims + 1], n, 'root count');
    assert.equal(flat.nodes[dims + 2], flat.size, 'root skip');
    for (let node = 0; node < flat.size; node++) {
      const skip = flat.nodes[node * s + dims + 2];
      const isLeaf = flat.nodes[node * s + dims] < 0;
      assert.ok(skip > node && skip <= flat.size);
      if (isLeaf) assert.equal(skip, node + 1);
      else {
        // The children's counts add up to the node's.
        let c = 0;
        for (let child = node + 1; child < skip; child = flat.nodes[child * s + dims + 2])
          c += flat.nodes[child * s + dims + 1];
        assert.equal(c, flat.nodes[node * s + dims + 1]);
      }
    }
    assert.deepEqual(
      [...flat.order.subarray(0, n)].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
  }
});
