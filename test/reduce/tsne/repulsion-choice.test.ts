import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repulsiveForcesExact } from '../../../src/reduce/tsne/gradient-bh.js';
import { AdaptiveRepulsion2d, fftIsCheaper, span2d } from '../../../src/reduce/tsne/repulsion-choice.js';
import { randomPositions, relativeError } from './helpers.js';

test('the cost model: FFT for compact layouts of many points, Barnes-Hut for few points or wide layouts', () => {
  // Few points: the smallest grid (50 boxes) costs more than the tree.
  assert.equal(fftIsCheaper(2000, 5), false);
  assert.equal(fftIsCheaper(2000, 150), false);
  // 10k: early exaggeration (span ~5-15) on the grid, the spread-out end (span > 100) on the tree.
  assert.equal(fftIsCheaper(10_000, 10), true);
  assert.equal(fftIsCheaper(10_000, 130), false);
  // 70k: the grid stays cheaper at a typical final span.
  assert.equal(fftIsCheaper(70_000, 10), true);
  assert.equal(fftIsCheaper(70_000, 170), true);
  // Monotone in the span for a fixed N: once the tree wins, a wider layout does not switch back.
  let switched = false;
  for (let span = 1; span < 400; span += 1) {
    const fft = fftIsCheaper(20_000, span);
    if (!fft) switched = true;
    else assert.ok(!switched, `FFT chosen again at span ${span}`);
  }
  assert.ok(switched);
});

test('span2d is the largest coordinate minus the smallest over both axes', () => {
  assert.equal(span2d(Float64Array.from([0, -2, 3, 1, 1, 5]), 3), 7);
  assert.equal(span2d(new Float64Array(0), 0), 0);
});

test('the adaptive repulsion matches the exact sums with either method', () => {
  const n = 1500;
  const adaptive = new AdaptiveRepulsion2d(0.5);
  for (const scale of [1, 40]) {
    const y = randomPositions(n, 2, scale, 5);
    const exact = new Float64Array(2 * n);
    const zExact = repulsiveForcesExact(y, n, 2, exact);
    const out = new Float64Array(2 * n);
    const z = adaptive.compute(y, n, out);
    assert.ok(Math.abs(z - zExact) / zExact < 0.01, `Z ${z} vs ${zExact}`);
    assert.ok(relativeError(out, exact) < 0.03, `forces at scale ${scale}`);
  }
  // 1,500 points: Barnes-Hut is always the cheaper one.
  assert.deepEqual(adaptive.uses, { bh: 2, fft: 0 });
});

test('the adaptive repulsion takes the FFT path for a compact layout of 8,000 points', () => {
  const n = 8000;
  const y = randomPositions(n, 2, 3, 9);
  assert.ok(fftIsCheaper(n, span2d(y, n)));
  const adaptive = new AdaptiveRepulsion2d(0.5);
  const exact = new Float64Array(2 * n);
  const zExact = repulsiveForcesExact(y, n, 2, exact);
  const out = new Float64Array(2 * n);
  const z = adaptive.compute(y, n, out);
  assert.deepEqual(adaptive.uses, { bh: 0, fft: 1 });
  assert.ok(Math.abs(z - zExact) / zExact < 0.005, `Z ${z} vs ${zExact}`);
  assert.ok(relativeError(out, exact) < 0.03);
});
