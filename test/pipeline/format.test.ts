/** float32String's fast path must print exactly what its definition (toPrecision) prints. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float32String, float32StringExact } from '../../src/pipeline/format.js';
import { rng } from '../render/synthetic.js';

test('float32String equals the toPrecision definition on every kind of float32', () => {
  const r = rng(2024);
  const next = () => r() * 2 ** 32; // the generator's 32-bit state
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  const values: number[] = [
    0,
    -0,
    1,
    -1,
    0.5,
    1e-45,
    3.4028234663852886e38,
    5e38,
    Number.NaN,
    Infinity,
    -Infinity,
  ];
  for (let i = 0; i < 60_000; i++) {
    bits[0] = next(); // any bit pattern: every exponent, subnormals, negatives
    values.push(f[0]);
    values.push(Math.exp(-20 * (next() / 2 ** 32)) / (1 + (next() % 1000))); // softmax-like
  }
  for (let e = -149; e < 128; e++) values.push(2 ** e, -(2 ** e), Math.fround(1.5 * 2 ** e));
  for (let e = -45; e <= 38; e++)
    for (const m of [1, 2, 5, 9.999999, 1.0000001, 3.3333333]) values.push(m * 10 ** e);
  for (let i = 0; i <= 20_000; i++) values.push(i / 1000, i);
  for (const x of values) assert.equal(float32String(x), float32StringExact(x), `for ${x}`);
});
