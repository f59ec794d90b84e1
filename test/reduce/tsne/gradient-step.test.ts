import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/reduce/rng.js';
import type { CsrMatrix } from '../../../src/reduce/tsne/affinities.js';
import { BhRepulsion } from '../../../src/reduce/tsne/gradient-bh.js';
import { type GradientEngine, SerialGradient } from '../../../src/reduce/tsne/gradient-engine.js';
import { FftRepulsion2d } from '../../../src/reduce/tsne/gradient-fft.js';
import {
  descendAll,
  STEP_BLOCK,
  type StepCoefficients,
  StepScratch,
  stepBlocks,
  stepRangeOf,
} from '../../../src/reduce/tsne/gradient-step.js';
import { ParallelGradient } from '../../../src/reduce/tsne/parallel-gradient.js';
import { PARALLEL_STEP_MIN_POINTS } from '../../../src/reduce/tsne/parallel-protocol.js';
import { randomPositions } from './helpers.js';

test('stepRangeOf cuts the points into contiguous whole blocks, whatever the thread count', () => {
  for (const n of [1, STEP_BLOCK - 1, STEP_BLOCK, 3 * STEP_BLOCK + 7, 100_000]) {
    for (let threads = 1; threads <= 5; threads++) {
      let next = 0;
      for (let t = 0; t < threads; t++) {
        const [from, to] = stepRangeOf(n, t, threads);
        assert.equal(from, next, `n ${n}, ${threads} threads, thread ${t}`);
        assert.ok(from % STEP_BLOCK === 0 || from === n);
        next = to;
      }
      assert.equal(next, n);
    }
  }
  assert.equal(stepBlocks(3 * STEP_BLOCK + 7), 4);
});

test('a step moves each point by momentum and gains, caps long steps, and re-centres the layout', () => {
  const n = 3;
  const positions = Float64Array.from([0, 0, 10, 0, 0, 10]);
  const update = Float64Array.from([1, 0, 0, 0, 0, 0]);
  const gains = new Float64Array(6).fill(1);
  const attr = Float64Array.from([1, 0, 0, 0, 0, 1000]);
  const rep = new Float64Array(6);
  const c: StepCoefficients = { invZ: 1, momentum: 0.5, learningRate: 1, minGain: 0.01, maxStep2: 25 };
  const scratch = new StepScratch(n, 2);
  descendAll({ positions, update, gains, attr, rep }, n, 2, c, scratch);
  // Point 0, x: gradient 1 along the last update: gain 0.8, step 0.5 * 1 - 0.8 * 1 = -0.3.
  assert.ok(Math.abs(update[0] + 0.3) < 1e-12);
  assert.ok(Math.abs(gains[0] - 0.8) < 1e-12);
  // Point 2, y: a step of -1200 is shortened to the longest allowed, 5.
  assert.ok(Math.abs(update[5] + 5) < 1e-12);
  // Re-centred: the mean is 0, and the range covers every coordinate.
  for (const axis of [0, 1]) {
    const mean = (positions[axis] + positions[2 + axis] + positions[4 + axis]) / 3;
    assert.ok(Math.abs(mean) < 1e-12);
  }
  assert.equal(scratch.range[0], Math.min(...positions));
  assert.equal(scratch.range[1], Math.max(...positions));
});

/** A random sparse P with `perRow` entries a row (no diagonal), normalised to sum 1. */
function randomP(n: number, perRow: number, seed: number): CsrMatrix {
  const rng = mulberry32(seed);
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(n * perRow);
  const vals = new Float32Array(n * perRow);
  for (let i = 0; i < n; i++) {
    rowPtr[i + 1] = (i + 1) * perRow;
    for (let e = 0; e < perRow; e++) {
      // Mostly near neighbours (as in a locality-ordered P), some far.
      const off = rng() < 0.8 ? 1 + Math.floor(rng() * 50) : Math.floor(rng() * n);
      cols[i * perRow + e] = (i + off) % n === i ? (i + 1) % n : (i + off) % n;
      vals[i * perRow + e] = 1 / (n * perRow);
    }
  }
  return { n, rowPtr, cols, vals };
}

/** Positions after `iterations` of evaluate + descend with `engine`. */
function run(engine: GradientEngine, start: Float64Array, iterations: number): Float64Array {
  const size = start.length;
  const positions = engine.allocate(size);
  positions.set(start);
  const update = engine.allocate(size);
  const gains = engine.allocate(size).fill(1);
  const attr = engine.allocate(size);
  const rep = engine.allocate(size);
  for (let it = 0; it < iterations; it++) {
    const z = engine.evaluate(positions, it < 2 ? 12 : 1, attr, rep);
    const c = { invZ: 1 / z, momentum: 0.5, learningRate: 2000, minGain: 0.01, maxStep2: 25 };
    engine.descend({ positions, update, gains, attr, rep }, c);
  }
  return Float64Array.from(positions);
}

for (const [dims, method] of [
  [2, 'fft'],
  [3, 'bh'],
] as const) {
  test(`${dims}D ${method}: steps split over 2 threads give the positions of one thread, bit for bit`, async () => {
    const n = PARALLEL_STEP_MIN_POINTS + 1234;
    const p = randomP(n, 6, 7);
    const start = randomPositions(n, dims, 20, 3);
    const repulsion = method === 'fft' ? new FftRepulsion2d() : new BhRepulsion(dims, 0.5);
    const one = run(new SerialGradient(p, dims, repulsion), start, 4);
    const engine = await ParallelGradient.create(p, dims, method, 0.5, 2);
    try {
      const two = run(engine, start, 4);
      assert.deepEqual(two, one);
      assert.ok(
        one.some((v, i) => v !== start[i]),
        'the points moved',
      );
    } finally {
      engine.dispose();
    }
  });
}
