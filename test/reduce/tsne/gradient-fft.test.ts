import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/reduce/rng.js';
import { FftPlan, nextSmooth } from '../../../src/reduce/tsne/fft.js';
import { repulsiveForcesExact } from '../../../src/reduce/tsne/gradient-bh.js';
import { boxesFor, FftRepulsion2d, MIN_INTERVALS } from '../../../src/reduce/tsne/gradient-fft.js';
import { randomPositions, relativeError } from './helpers.js';

test('FFT equals the naive DFT for mixed-radix lengths, batched', () => {
  const rng = mulberry32(3);
  for (const n of [1, 2, 3, 5, 12, 30, 64, 90, 150]) {
    const batch = 3;
    const re = new Float64Array(n * batch).map(() => rng() - 0.5);
    const im = new Float64Array(n * batch).map(() => rng() - 0.5);
    const r0 = re.slice();
    const i0 = im.slice();
    new FftPlan(n).forward(re, im, batch, new Float64Array(n * batch), new Float64Array(n * batch));
    for (let q = 0; q < batch; q++) {
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * j * k) / n;
          sr += r0[q + batch * j] * Math.cos(a) - i0[q + batch * j] * Math.sin(a);
          si += r0[q + batch * j] * Math.sin(a) + i0[q + batch * j] * Math.cos(a);
        }
        assert.ok(
          Math.abs(sr - re[q + batch * k]) < 1e-10 && Math.abs(si - im[q + batch * k]) < 1e-10,
          `n=${n} k=${k}`,
        );
      }
    }
  }
  assert.throws(() => new FftPlan(7));
});

test('grid rule: at least 50 boxes, about one box per unit of span, 5-smooth', () => {
  assert.equal(boxesFor(0.001), MIN_INTERVALS);
  assert.equal(boxesFor(49), 50);
  assert.equal(boxesFor(97.5), 100);
  assert.equal(boxesFor(101), nextSmooth(101));
  assert.equal(nextSmooth(101), 108);
});

test('FFT-interpolated repulsion matches the exact sum (t-SNE-like densities)', () => {
  // Densities like a t-SNE embedding: N points in a span of ~sqrt(N) units.
  for (const [n, scale] of [
    [2000, 2],
    [2000, 10],
    [3000, 8],
  ] as const) {
    const y = randomPositions(n, 2, scale, 21);
    const exact = new Float64Array(n * 2);
    const zExact = repulsiveForcesExact(y, n, 2, exact);
    const fft = new FftRepulsion2d();
    const out = new Float64Array(n * 2);
    const z = fft.compute(y, n, out);
    assert.ok(Math.abs(z - zExact) / zExact < 5e-3, `Z ${z} vs ${zExact} at scale ${scale}`);
    const err = relativeError(
      out.map((v) => v / z),
      exact.map((v) => v / zExact),
    );
    assert.ok(err < 0.03, `force error ${err} at scale ${scale}`);
  }
});

test('FFT repulsion: identical points give Z = N (N - 1) and zero forces', () => {
  const n = 40;
  const y = new Float64Array(2 * n).fill(-1.5);
  const out = new Float64Array(2 * n);
  const z = new FftRepulsion2d().compute(y, n, out);
  assert.ok(Math.abs(z - n * (n - 1)) / (n * (n - 1)) < 1e-9);
  for (const v of out) assert.ok(Math.abs(v) < 1e-9);
});

test('WebAssembly point steps give the TypeScript grids and forces bit for bit, layout edges included', () => {
  const n = 3001;
  const y = randomPositions(n, 2, 30, 22);
  // The layout's extremes land on the grid's edges (the maximum on the last box's upper edge).
  y[0] = -200;
  y[1] = 200;
  y[2] = 200;
  y[3] = -200;
  const wasm = new FftRepulsion2d(false, true);
  const ts = new FftRepulsion2d(false, false);
  assert.ok(wasm.usesWasm, 'wasm/fft-points.wasm missing: run npm run build:wasm');
  assert.ok(!ts.usesWasm);
  const outW = new Float64Array(2 * n).fill(Number.NaN);
  const outT = new Float64Array(2 * n).fill(Number.NaN);
  const zW = wasm.compute(y, n, outW);
  const zT = ts.compute(y, n, outT);
  assert.equal(zW, zT);
  assert.deepEqual(outW, outT);
  assert.ok(wasm.lastBoxes > MIN_INTERVALS);
  // The potentials on the grids too, and again after the span has shrunk (the grids are reused).
  const cells = (3 * wasm.lastBoxes) ** 2;
  assert.deepEqual(wasm.grids.bIm.subarray(0, cells), ts.grids.bIm.subarray(0, cells));
  const small = y.map((v) => v / 10);
  assert.equal(wasm.compute(small, n, outW), ts.compute(small, n, outT));
  assert.deepEqual(outW, outT);
});
