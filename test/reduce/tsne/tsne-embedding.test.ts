import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, UserError } from '../../../src/errors.js';
import { PARALLEL_MIN_POINTS, tsne } from '../../../src/reduce/tsne/tsne.js';
import { TSNE } from '../../../src/reduce/tsne/tsne-embedding.js';
import { gaussianClusters, knnLabelAccuracy } from './helpers.js';

const n = 240;
const d = 6;
const { data, labels } = gaussianClusters(n, d, 4, 61);
const x = { data, rows: n, cols: d };
const options = { iterations: 200, earlyExaggerationIterations: 100, seed: 2 };

test('stepping by hand, run() and tsne() give the same map; onIteration sees every layout', async () => {
  const whole = await tsne(x, options);
  const t = await TSNE.prepare(x, options);
  assert.equal(t.iteration, 0);
  assert.equal(t.iterations, 200);
  assert.equal(t.stage, 'early-exaggeration');
  for (let i = 0; i < 10; i++) t.step();
  assert.equal(t.iteration, 10);
  const seen: number[] = [];
  let last: Float32Array | null = null;
  await t.run({
    onIteration: ({ iteration, embedding }) => {
      seen.push(iteration);
      assert.equal(embedding.rows, n);
      assert.equal(embedding.cols, 2);
      last = embedding.data;
    },
  });
  assert.ok(t.done);
  assert.equal(t.stage, 'embedding');
  assert.deepEqual(
    seen,
    Array.from({ length: 190 }, (_, i) => i + 11),
  );
  assert.deepEqual(t.embedding.data, whole.embedding);
  assert.deepEqual(last, whole.embedding);
  assert.equal(t.klDivergence(), whole.klDivergence);
  assert.ok(knnLabelAccuracy(t.embedding.data, labels, 2) > 0.95);
  t.step(); // past the end: nothing happens
  assert.equal(t.iteration, 200);
  t.dispose();
  t.dispose();
  assert.throws(() => t.step(), /disposed/);
});

test('run() stops where onIteration returns false, at `until`, or with CancelledError on its signal', async () => {
  const t = await TSNE.prepare(x, options);
  await t.run({ onIteration: ({ iteration }) => iteration < 37 });
  assert.equal(t.iteration, 37);
  await t.run({ until: 60 });
  assert.equal(t.iteration, 60);
  const ac = new AbortController();
  const stages: string[] = [];
  await assert.rejects(
    t.run({
      signal: ac.signal,
      onProgress: (_f, stage) => {
        stages.push(stage);
        if (t.iteration >= 80) ac.abort();
      },
    }),
    CancelledError,
  );
  assert.equal(t.iteration, 80);
  assert.ok(stages.every((s) => s.startsWith('tsne:')));
  // A stopped run can go on.
  await t.run();
  assert.ok(t.done);
  t.dispose();
});

test('prepare rejects bad input with a UserError and records every resolved setting', async () => {
  await assert.rejects(TSNE.prepare({ data: new Float32Array(5), rows: 3, cols: 2 }), UserError);
  await assert.rejects(TSNE.prepare({ data: new Float32Array(6), rows: 3, cols: 0 }), UserError);
  await assert.rejects(TSNE.prepare(x, { perplexity: 0 }), UserError);
  const t = await TSNE.prepare(x, { dims: 3, iterations: 5 });
  assert.equal(t.resolved.dims, 3);
  assert.equal(t.resolved.kernels, 'webassembly');
  assert.equal(t.resolved.threads, 1); // below PARALLEL_MIN_POINTS
  assert.equal(t.embedding.cols, 3);
  t.dispose();
  const one = await TSNE.prepare({ data: Float32Array.from([1, 2]), rows: 1, cols: 2 });
  assert.ok(one.done);
  await one.run();
  assert.deepEqual([...one.embedding.data], [0, 0]);
});

test('an exception in a gradient worker reaches the caller with its own message', async () => {
  const m = PARALLEL_MIN_POINTS + 50;
  const big = gaussianClusters(m, 5, 3, 62);
  const t = await TSNE.prepare(
    { data: big.data, rows: m, cols: 5 },
    { method: 'fft', threads: 2, iterations: 10, earlyExaggerationIterations: 5 },
  );
  assert.equal(t.resolved.threads, 2);
  try {
    t.step();
    // Break worker 1's copy of the FFT grids: its next task throws a TypeError.
    (t as unknown as { engine: { post(m: unknown): void } }).engine.post({
      type: 'grids',
      grids: null,
      memory: null,
    });
    assert.throws(
      () => t.step(),
      (e: unknown) => e instanceof Error && /^t-SNE worker thread 1 failed: .*null/.test(e.message),
    );
  } finally {
    t.dispose();
  }
});
