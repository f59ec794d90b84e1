/**
 * Placing new points into a map from the command line: `reduce --reference REF_OUT` keeps the
 * reference map as it was and lists its rows first, then the new ones, with a `set` column;
 * `--fit-sample M` maps a sample and places the rest. Every bad input is refused with one paragraph,
 * before anything is written.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/io/csv.js';
import { assertRefused, runCli, runReduce } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { bytesOf, npy } from '../helpers/npy.js';
import { seededFloats } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-placement-cli-'));
const D = 6;
const FAST = ['--iterations', '300', '--perplexity', '5'];

/** n points in three clusters (label = row % 3), deterministic. */
function clusters(n: number, seed: number): { features: string; labels: string } {
  const noise = seededFloats(n * D, seed, 0.3);
  const x = Float64Array.from(noise, (v, i) => v + 5 * (Math.floor(i / D) % 3) * ((i % D) + 1));
  const name = `c${n}-${seed}`;
  const features = join(dir, `${name}.npy`);
  writeFileSync(features, npy('<f4', [n, D], bytesOf(Float32Array.from(x))));
  const labels = join(dir, `${name}.txt`);
  writeFileSync(labels, `${Array.from({ length: n }, (_, i) => `class${i % 3}`).join('\n')}\n`);
  return { features, labels };
}

const ref = clusters(60, 3);
const add = clusters(20, 4);

/** The reference run, made once: t-SNE and PCA, 2D only. */
const reference = (async () => {
  const r = await runReduce(ref.features, dir, [
    '--labels',
    ref.labels,
    '--dims',
    '2',
    '--method',
    'tsne,pca',
    ...FAST,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.out;
})();

function table(out: string, file = 'tsne-2d.csv'): string[][] {
  return parseCsv(readFileSync(join(out, file), 'utf8'));
}

function folderHashes(out: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(out).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(out, f)))
        .digest('hex'),
    ]),
  );
}

test('reduce --reference: reference rows first and unmoved, then the new rows, with a set column; the reference folder is untouched', async () => {
  const refOut = await reference;
  const before = folderHashes(refOut);
  const r = await runReduce(add.features, dir, ['--reference', refOut, '--labels', add.labels]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(folderHashes(refOut), before);
  for (const file of ['tsne-2d.csv', 'pca-2d.csv']) {
    const placed = table(r.out, file);
    const original = table(refOut, file);
    assert.equal(placed[0].at(-1), 'set');
    assert.equal(placed.length, 1 + 60 + 20);
    for (let i = 1; i <= 60; i++) {
      assert.deepEqual(placed[i].slice(0, 2), original[i].slice(0, 2), `row ${i} of ${file} moved`);
      assert.equal(placed[i].at(-1), 'reference');
    }
    for (let i = 61; i <= 80; i++) assert.equal(placed[i].at(-1), 'new');
  }
  for (const f of ['tsne-2d.png', 'tsne-2d.html', 'index.html']) assert.ok(readdirSync(r.out).includes(f), f);
  const manifest = JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8'));
  assert.equal(manifest.placement.reference, resolve(refOut));
  assert.match(manifest.placement.referenceFingerprint, /^[0-9a-f]{64}$/);
  assert.equal(manifest.placement.referenceRows, 60);
  assert.equal(manifest.placement.newRows, 20);
  assert.equal(manifest.placement.options.perplexity, 5);
  // The placed points land in their own cluster.
  assert.ok(manifest.metrics.embeddings['tsne-2d'].placedLabelAccuracy > 0.9);
  // `plot` draws the folder again, the figure by set.
  const p = await runCli(['plot', '--run', r.out, '--color-by', 'set']);
  assert.equal(p.code, 0, p.stderr);
});

test('reduce --fit-sample M: rows stay in input order, M of them make the map, the rest are placed', async () => {
  const all = clusters(80, 5);
  const r = await runReduce(all.features, dir, [
    '--fit-sample',
    '50',
    '--labels',
    all.labels,
    '--dims',
    '2',
    ...FAST,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rows = table(r.out).slice(1);
  assert.equal(rows.length, 80);
  assert.equal(rows.filter((row) => row.at(-1) === 'reference').length, 50);
  assert.equal(rows.filter((row) => row.at(-1) === 'new').length, 30);
  rows.forEach((row, i) => assert.equal(row[3], `class${i % 3}`));
  const manifest = JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8'));
  assert.equal(manifest.placement.fitSample, 50);
  assert.ok(manifest.metrics.embeddings['tsne-2d'].placedLabelAccuracy > 0.9);
});

test('bad --reference folders are refused with what to do', async () => {
  const refOut = await reference;
  const missing = await runReduce(add.features, dir, ['--reference', join(dir, 'no-such-folder')]);
  assertRefused(missing, /--reference .*no-such-folder is not a folder/, 2);
  const empty = join(dir, 'empty-ref');
  mkdirSync(empty, { recursive: true });
  assertRefused(await runReduce(add.features, dir, ['--reference', empty]), /has no readable run\.json/);
  // A reduce output whose features file has gone.
  const moved = join(dir, 'moved-ref');
  mkdirSync(moved, { recursive: true });
  for (const f of readdirSync(refOut)) copyFileSync(join(refOut, f), join(moved, f));
  const manifest = JSON.parse(readFileSync(join(moved, 'run.json'), 'utf8'));
  manifest.features.file = join(dir, 'gone.npy');
  writeFileSync(join(moved, 'run.json'), JSON.stringify(manifest));
  assertRefused(
    await runReduce(add.features, dir, ['--reference', moved]),
    /reference features are missing.*Re-run `featscope reduce`/,
  );
  // Features changed since the maps were made.
  const changed = join(dir, 'changed.npy');
  writeFileSync(changed, npy('<f4', [60, D], bytesOf(seededFloats(60 * D, 99, 1))));
  manifest.features.file = changed;
  writeFileSync(join(moved, 'run.json'), JSON.stringify(manifest));
  assertRefused(
    await runReduce(add.features, dir, ['--reference', moved]),
    /is not the feature matrix tsne-2d\.csv was made from/,
  );
  rmSync(moved, { recursive: true });
});

test('bad placement requests are refused before anything is written', async () => {
  const refOut = await reference;
  const narrow = join(dir, 'narrow.npy');
  writeFileSync(narrow, npy('<f4', [10, 4], bytesOf(seededFloats(10 * 4, 7, 1))));
  assertRefused(
    await runReduce(narrow, dir, ['--reference', refOut]),
    /has 4 feature columns but the reference features .* have 6.*same model and layer/,
  );
  assertRefused(
    await runReduce(add.features, dir, ['--reference', refOut, '--method', 'umap']),
    /UMAP maps cannot take new points/,
    2,
  );
  assertRefused(
    await runReduce(add.features, dir, ['--reference', refOut, '--dims', '3']),
    /has no tsne-3d map or pca-3d map|has no tsne-3d map/,
    2,
  );
  assertRefused(
    await runReduce(add.features, dir, ['--reference', refOut, '--fit-sample', '10']),
    /cannot be combined/,
    2,
  );
  const same = await runCli(['reduce', '--features', add.features, '--reference', refOut, '--out', refOut]);
  assert.equal(same.code, 2, same.stderr);
  assert.match(same.stderr, /is the reference folder itself/);
  assertRefused(
    await runReduce(add.features, dir, ['--fit-sample', '20']),
    /--fit-sample 20 is out of range.*from 3 to 19/,
    2,
  );
  assertRefused(
    await runReduce(add.features, dir, ['--fit-sample', '0']),
    /--fit-sample must be a whole number >= 1/,
    2,
  );
  assertRefused(
    await runReduce(add.features, dir, ['--fit-sample', '10', '--method', 'umap']),
    /--fit-sample cannot be used with UMAP/,
    2,
  );
  assertRefused(
    await runReduce(add.features, dir, ['--color-by', 'set']),
    /--color-by set needs a map with placed points/,
    2,
  );
});

test('run --reference: a new test set placed into a reference run of the same model; another model is refused before inference', async () => {
  const model = join(EXAMPLE, 'model.onnx');
  const train = exampleSubset(3, ['Bag', 'Trouser', 'Sneaker']);
  const refOut = join(mkdtempSync(join(dir, 'run-')), 'ref');
  const made = await runCli([
    'run',
    '--model',
    model,
    '--data',
    train,
    '--out',
    refOut,
    '--dims',
    '2',
    '--no-thumbnails',
    ...FAST,
  ]);
  assert.equal(made.code, 0, made.stderr);
  const test2 = exampleSubset(1, ['Bag', 'Trouser']);
  const out = join(mkdtempSync(join(dir, 'run-')), 'placed');
  const r = await runCli([
    'run',
    '--model',
    model,
    '--data',
    test2,
    '--out',
    out,
    '--reference',
    refOut,
    '--no-thumbnails',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rows = table(out).slice(1);
  assert.equal(rows.length, 9 + 2);
  assert.deepEqual(
    rows.map((row) => row.at(-1)),
    [...new Array(9).fill('reference'), 'new', 'new'],
  );
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(manifest.placement.reference, resolve(refOut));
  // `run` checks --reference and --fit-sample before inference, as `reduce` does.
  const noRef = join(dir, 'run-no-ref');
  const missing = await runCli([
    'run',
    '--model',
    model,
    '--data',
    test2,
    '--out',
    noRef,
    '--reference',
    join(dir, 'nowhere'),
  ]);
  assertRefused({ ...missing, out: noRef }, /--reference .*nowhere is not a folder/, 2);
  const badM = await runCli(['run', '--model', model, '--data', test2, '--out', noRef, '--fit-sample', '0']);
  assertRefused({ ...badM, out: noRef }, /--fit-sample must be a whole number >= 1/, 2);
  // M of at least the images found (9) is refused as soon as they are listed: nothing inferred, nothing written.
  const tooMany = await runCli([
    'run',
    '--model',
    model,
    '--data',
    train,
    '--out',
    noRef,
    '--fit-sample',
    '9',
  ]);
  assertRefused(
    { ...tooMany, out: noRef },
    /--fit-sample 9 is out of range: .* of the 9 points .* from 3 to 8/,
    2,
  );
  const umap = ['--fit-sample', '5', '--method', 'umap'];
  const withUmap = await runCli(['run', '--model', model, '--data', train, '--out', noRef, ...umap]);
  assertRefused({ ...withUmap, out: noRef }, /--fit-sample cannot be used with UMAP/, 2);
  const other = join(import.meta.dirname, '..', 'fixtures', 'tiny-vgg.onnx');
  const refused = await runCli([
    'run',
    '--model',
    other,
    '--data',
    test2,
    '--out',
    join(dir, 'other-out'),
    '--reference',
    refOut,
  ]);
  assertRefused(
    { ...refused, out: join(dir, 'other-out') },
    /was made with the model .* not with .*tiny-vgg\.onnx/,
  );
});
