import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, UserError } from '../../../src/errors.js';
import { resolveTsneOptions, TSNE_DEFAULTS } from '../../../src/reduce/tsne/options.js';
import { tsne } from '../../../src/reduce/tsne/tsne.js';
import { gaussianClusters, knnLabelAccuracy } from './helpers.js';

const allFinite = (a: Float32Array) => a.every((v) => Number.isFinite(v));

test('same seed, same output; progress is monotone and ends at 1', async () => {
  const n = 250;
  const { data } = gaussianClusters(n, 8, 4, 42);
  const fractions: number[] = [];
  const a = await tsne(
    { data, rows: n, cols: 8 },
    { iterations: 300, seed: 5, onProgress: (f) => fractions.push(f) },
  );
  const b = await tsne({ data, rows: n, cols: 8 }, { iterations: 300, seed: 5 });
  assert.deepEqual(a.embedding, b.embedding);
  for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1]);
  assert.equal(fractions.at(-1), 1);
  const c = await tsne({ data, rows: n, cols: 8 }, { iterations: 300, seed: 5, initialization: 'random' });
  const d = await tsne({ data, rows: n, cols: 8 }, { iterations: 300, seed: 6, initialization: 'random' });
  assert.notDeepEqual(c.embedding, d.embedding);
});

test('wide inputs are pre-reduced with PCA to 50 dims', async () => {
  const n = 200;
  const { data, labels } = gaussianClusters(n, 80, 4, 43);
  const r = await tsne({ data, rows: n, cols: 80 }, { iterations: 400 });
  assert.equal(r.resolved.pcaDims, 50);
  assert.ok(knnLabelAccuracy(r.embedding, labels, 2) > 0.95);
});

test('tiny inputs: N = 1 at the origin, N = 2 and 3 finite with a perplexity warning', async () => {
  const one = await tsne({ data: Float32Array.from([1, 2, 3]), rows: 1, cols: 3 });
  assert.deepEqual([...one.embedding], [0, 0]);
  for (const n of [2, 3]) {
    const data = Float32Array.from({ length: n * 3 }, (_, i) => i * i);
    const r = await tsne({ data, rows: n, cols: 3 }, { dims: 3 });
    assert.equal(r.embedding.length, n * 3);
    assert.ok(allFinite(r.embedding));
    assert.ok(Math.abs((r.resolved.perplexity as number) - (n - 1) / 3) < 1e-12);
    assert.match(r.warnings.join(' '), /Perplexity 30 is too large/);
  }
});

test('identical points and constant features: finite output, no NaN', async () => {
  const n = 60;
  const same = new Float32Array(n * 4).fill(2.5);
  const r = await tsne({ data: same, rows: n, cols: 4 }, { iterations: 200 });
  assert.ok(allFinite(r.embedding));
  assert.ok(Number.isFinite(r.klDivergence));
  assert.match(r.warnings.join(' '), /no variance/);
  // A constant column next to informative ones changes nothing about validity.
  const { data, labels } = gaussianClusters(n, 5, 3, 44);
  for (let i = 0; i < n; i++) data[i * 5 + 2] = 7;
  const c = await tsne({ data, rows: n, cols: 5 }, { perplexity: 10 });
  assert.ok(allFinite(c.embedding));
  assert.ok(knnLabelAccuracy(c.embedding, labels, 2) > 0.95);
});

test('NaN or Infinity in the input is a UserError naming the rows', async () => {
  const data = new Float32Array(10 * 3).fill(1);
  data[4 * 3 + 1] = Number.NaN;
  data[7 * 3] = Number.POSITIVE_INFINITY;
  await assert.rejects(
    tsne({ data, rows: 10, cols: 3 }),
    (e: unknown) => e instanceof UserError && /row\(s\) 4, 7/.test(e.message),
  );
  await assert.rejects(tsne({ data: new Float32Array(6), rows: 3, cols: 2 }, { perplexity: -1 }), UserError);
  await assert.rejects(tsne({ data: new Float32Array(6), rows: 3, cols: 2 }, { dims: 4 as 2 }), UserError);
});

test('an AbortSignal stops the run with CancelledError', async () => {
  const n = 300;
  const { data } = gaussianClusters(n, 5, 3, 45);
  const ac = new AbortController();
  await assert.rejects(
    tsne(
      { data, rows: n, cols: 5 },
      {
        onProgress: (_fraction, stage) => {
          if (stage.startsWith('tsne:early')) ac.abort();
        },
        signal: ac.signal,
      },
    ),
    CancelledError,
  );
});

test('resolveTsneOptions resolves every auto value in one place', () => {
  assert.equal(resolveTsneOptions(1000, 10).resolved.learningRate, 200);
  assert.equal(resolveTsneOptions(24_000, 10).resolved.learningRate, 2000);
  assert.equal(resolveTsneOptions(10_000, 10).resolved.method, 'adaptive');
  assert.equal(resolveTsneOptions(500, 10, { method: 'fft' }).resolved.method, 'fft');
  assert.equal(resolveTsneOptions(50_000, 10, { dims: 3 }).resolved.method, 'bh');
  assert.equal(resolveTsneOptions(100, 50).resolved.pcaDims, null);
  assert.equal(resolveTsneOptions(100, 51).resolved.pcaDims, 50);
  assert.equal(resolveTsneOptions(1000, 10).resolved.k, 90);
  assert.equal(resolveTsneOptions(1000, 10, { threads: 3 }).resolved.threads, 3);
  assert.ok(Object.isFrozen(TSNE_DEFAULTS));
  const { resolved, warnings } = resolveTsneOptions(31, 5);
  assert.equal(resolved.perplexity, 10);
  assert.equal(resolved.k, 30);
  assert.equal(warnings.length, 1);
});
