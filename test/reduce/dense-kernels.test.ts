import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DenseSpace } from '../../src/reduce/dense-kernels.js';
import { mulberry32 } from '../../src/reduce/rng.js';

test('the dense WebAssembly module is built (npm ci runs build:wasm through prepare)', () => {
  assert.ok(DenseSpace.create(16) !== null, 'wasm/dense.wasm missing: run npm run build:wasm');
});

test('rowProducts: dot products and squared distances match float64 sums (odd and even d)', () => {
  const rand = mulberry32(3);
  for (const [na, nb, d] of [
    [7, 8, 5],
    [8, 12, 50],
    [1, 4, 1],
    [13, 16, 128],
  ]) {
    const space = DenseSpace.create(4 * (na * d + nb * d + na * nb + na + nb) + 1024)!;
    const a = space.array(na * d);
    const b = space.array(nb * d);
    const c = space.array(na * nb);
    const an = space.array(na);
    const bn = space.array(nb);
    for (let i = 0; i < a.length; i++) a[i] = rand() * 4 - 2;
    for (let i = 0; i < b.length; i++) b[i] = rand() * 4 - 2;
    const dot = (i: number, j: number) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
      return s;
    };
    for (let i = 0; i < na; i++) for (let t = 0; t < d; t++) an[i] += a[i * d + t] ** 2;
    for (let j = 0; j < nb; j++) for (let t = 0; t < d; t++) bn[j] += b[j * d + t] ** 2;
    space.rowProducts(a, b, c, na, nb, d, nb, false);
    for (let i = 0; i < na; i++)
      for (let j = 0; j < nb; j++) assert.ok(Math.abs(c[i * nb + j] - dot(i, j)) < 1e-12 * (1 + d));
    c.fill(-1);
    space.rowProducts(a, b, c, na, nb, d, nb, true, { a: an, b: bn });
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        if (j < (i & ~3)) continue; // upperOnly: only from the tile holding the diagonal
        const want = Math.max(0, an[i] + bn[j] - 2 * dot(i, j));
        assert.ok(Math.abs(c[i * nb + j] - want) < 1e-11 * (1 + d), `${i},${j}`);
      }
    }
  }
});

test('a workspace refuses to hand out more than it reserved', () => {
  const space = DenseSpace.create(16)!;
  space.array(16);
  assert.throws(() => space.array(1024), /exhausted/);
});
