/**
 * Ctrl-C through the CLI: SIGINT is sent when stderr shows a chosen stage has started (the progress
 * display prints one line per stage when stderr is not a TTY), never after a delay. The stage that is
 * interrupted is made far longer than a signal's round trip (1,000,000 t-SNE iterations; 2,000 images
 * one per batch), so the interruption always lands inside it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeNpyFloat32 } from '../../src/io/npy.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { seededFloats } from '../helpers/onnx-builder.js';

const MODEL = join(EXAMPLE, 'model.onnx');

test('SIGINT during t-SNE exits 130, keeps only finished outputs, and the re-run reuses inference', async () => {
  const data = exampleSubset(2);
  const out = join(mkdtempSync(join(tmpdir(), 'fs-int-')), 'out');
  const base = [
    'run',
    '--model',
    MODEL,
    '--data',
    data,
    '--out',
    out,
    '--no-thumbnails',
    '--perplexity',
    '5',
  ];
  const first = await runCli([...base, '--dims', '2', '--iterations', '1000000'], {
    signalWhen: (stderr) => /^classify: done/m.test(stderr) && /^tsne 2D: /m.test(stderr),
  });
  assert.equal(first.code, 130, first.stderr);
  assert.match(first.stderr, /featscope: interrupted; outputs finished before the interruption are kept\./);
  assert.ok(!hasStackTrace(first.stderr), first.stderr);
  // Inference finished and was written (with run.json recording it); the t-SNE map was not started on disk.
  assert.deepEqual(readdirSync(out).sort(), ['features.npy', 'predictions.csv', 'run.json']);
  const m1 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(m1.data.n, 20);
  assert.deepEqual(m1.embeddings, []);

  // What a hard kill (a second Ctrl-C, kill -9) can leave mid-write: a temp file of a dead process.
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const stale = `.tsne-2d.csv.${deadPid}.0123abcd.tmp`;
  writeFileSync(join(out, stale), 'x,y\n1,');

  const second = await runCli([...base, '--dims', '2', '--iterations', '300']);
  assert.equal(second.code, 0, second.stderr);
  const m2 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(m2.reused.classify, 'inference reused after the interruption');
  assert.ok(!/^classify: /m.test(second.stderr), 'no inference progress on the resumed run');
  assert.ok(!('classify' in m2.stages) && 'classify (reused)' in m2.stages);
  const files = readdirSync(out);
  for (const f of ['tsne-2d.csv', 'tsne-2d.png', 'tsne-2d.html', 'index.html'])
    assert.ok(files.includes(f), f);
  assert.ok(
    files.every((f) => !f.includes('.tmp')),
    files.join(', '),
  );
  assert.equal(readFileSync(join(out, 'tsne-2d.csv'), 'utf8').trim().split('\n').length, 21);
});

test('SIGINT during classify exits 130 and leaves the output folder empty', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fs-int-')), 'out');
  const r = await runCli(
    ['classify', '--model', MODEL, '--data', join(EXAMPLE, 'data'), '--out', out, '--batch-size', '1'],
    { signalWhen: (stderr) => /^classify: \d+ images/m.test(stderr) },
  );
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /stopping \(Ctrl-C again to quit at once\)/);
  assert.match(r.stderr, /featscope: interrupted/);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.deepEqual(readdirSync(out), []);
});

test('SIGTERM during classify stops as Ctrl-C does, exits 143 and leaves the output folder empty', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fs-int-')), 'out');
  const r = await runCli(
    ['classify', '--model', MODEL, '--data', join(EXAMPLE, 'data'), '--out', out, '--batch-size', '1'],
    { signalWhen: (stderr) => /^classify: \d+ images/m.test(stderr), signal: 'SIGTERM' },
  );
  assert.equal(r.code, 143, r.stderr);
  assert.match(r.stderr, /stopping on SIGTERM/);
  assert.match(r.stderr, /featscope: interrupted \(SIGTERM\)/);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.deepEqual(readdirSync(out), []);
});

test('SIGINT during featscope reduce exits 130 and writes no map', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-int-'));
  const features = join(dir, 'features.npy');
  writeFileSync(features, encodeNpyFloat32(seededFloats(40 * 6, 3), [40, 6]));
  const out = join(dir, 'out');
  const r = await runCli(
    ['reduce', '--features', features, '--out', out, '--dims', '2', '--iterations', '1000000'],
    { signalWhen: (stderr) => /^tsne 2D: /m.test(stderr) },
  );
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /featscope: interrupted/);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.deepEqual(readdirSync(out), []);
});

test('a map finished before SIGINT is kept, recorded, and reused by the next run', async () => {
  const data = exampleSubset(2);
  const out = join(mkdtempSync(join(tmpdir(), 'fs-int-')), 'out');
  const base = ['run', '--model', MODEL, '--data', data, '--out', out, '--no-thumbnails', '--dims', '2'];
  const long = ['--perplexity', '5', '--iterations', '1000000'];
  const first = await runCli([...base, ...long, '--method', 'pca,tsne'], {
    signalWhen: (stderr) => /^tsne 2D: /m.test(stderr),
  });
  assert.equal(first.code, 130, first.stderr);
  assert.ok(!hasStackTrace(first.stderr), first.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['features.npy', 'pca-2d.csv', 'predictions.csv', 'run.json']);
  const m1 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.deepEqual(
    m1.embeddings.map((e: { name: string }) => e.name),
    ['pca-2d'],
  );
  const pca = readFileSync(join(out, 'pca-2d.csv'), 'utf8');

  // The same reduction options: inference and the PCA map are reused, not recomputed.
  const second = await runCli([...base, ...long, '--method', 'pca']);
  assert.equal(second.code, 0, second.stderr);
  const m2 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(m2.reused.classify);
  assert.ok(m2.reused['pca-2d'], JSON.stringify(m2.reused));
  assert.equal(readFileSync(join(out, 'pca-2d.csv'), 'utf8'), pca);
  assert.ok(readdirSync(out).includes('pca-2d.html'));
});
