import assert from 'node:assert/strict';
import { test } from 'node:test';
import { denseWorkspace, rowProductsTs } from '../../src/reduce/dense-kernels.js';
import { mulberry32 } from '../../src/reduce/rng.js';

test('the dense WebAssembly module is built (npm ci runs build:wasm through prepare)', () => {
  assert.ok(denseWorkspace(16).wasm, 'wasm/dense.wasm missing: run npm run build:wasm');
  assert.ok(!denseWorkspace(16, false).wasm);
});

for (const wasm of [true, false])
  test(`rowProducts (${wasm ? 'WebAssembly' : 'TypeScript'}): dot products and squared distances match float64 sums (odd and even d)`, () => {
    const rand = mulberry32(3);
    for (const [na, nb, d] of [
      [7, 8, 5],
      [8, 12, 50],
      [1, 4, 1],
      [13, 16, 128],
    ]) {
      const space = denseWorkspace(4 * (na * d + nb * d + na * nb + na + nb) + 1024, wasm);
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

test('a WebAssembly workspace refuses to hand out more than it reserved, or foreign arrays', () => {
  const space = denseWorkspace(16);
  const a = space.array(16);
  assert.throws(() => space.array(1024), /exhausted/);
  assert.throws(() => space.rowProducts(new Float64Array(16), a, a, 1, 4, 4, 4, false), /workspace/);
});

test('the TypeScript kernel is the one the quality metrics keep (columns summed in order)', () => {
  const a = Float64Array.from([0.1, 0.2, 0.3]);
  const b = new Float64Array(12);
  b.set([0.3, 0.2, 0.1]);
  const c = new Float64Array(4);
  rowProductsTs(a, b, c, 1, 4, 3, 4, false, null);
  assert.equal(c[0], 0.1 * 0.3 + 0.2 * 0.2 + 0.3 * 0.1);
  assert.deepEqual(Array.from(c.subarray(1)), [0, 0, 0]);
});
