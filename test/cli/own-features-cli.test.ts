/**
 * Features and labels from the user's own code (issue: the recipe's DANN part): `featscope reduce`
 * takes labels as a `.npy` of ids, one label per line (names or ids named by --classes) or a
 * predictions table, images as `--paths`, and draws the figure, pages and report; `featscope plot`
 * draws any folder holding a map. Every bad input exits 1 with one paragraph and writes nothing.
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/io/csv.js';
import { assertRefused, hasStackTrace, runCli, runReduce } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { bytesOf, npy } from '../helpers/npy.js';
import { seededFloats } from '../helpers/onnx-builder.js';
import { pageDataFile } from '../helpers/page-data.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-own-features-'));
const N = 30;
const D = 6;
/** Label of row i: three classes in blocks, matching the feature clusters. */
const label = (i: number) => i % 3;

function save(name: string, data: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

const features = save(
  'features.npy',
  npy(
    '<f4',
    [N, D],
    bytesOf(
      Float32Array.from(
        seededFloats(N * D, 5, 0.3),
        (v, i) => v + 3 * label(Math.floor(i / D)) * ((i % D) + 1),
      ),
    ),
  ),
);
const classes = save('classes.json', JSON.stringify({ 0: 'zero', 1: 'one', 2: 'two' }));
const ids = Array.from({ length: N }, (_, i) => label(i));

function reduce(...extra: string[]) {
  return runReduce(features, dir, ['--method', 'pca', '--dims', '2', ...extra]);
}

function mapColumn(out: string, column: string): string[] {
  const rows = parseCsv(readFileSync(join(out, 'pca-2d.csv'), 'utf8'));
  const j = rows[0].indexOf(column);
  return rows.slice(1).map((r) => r[j]);
}

const pageData = pageDataFile;

function assertDrawn(out: string): void {
  for (const f of [
    'pca-2d.csv',
    'pca-2d.png',
    'pca-2d.svg',
    'pca-2d.pdf',
    'pca-2d.html',
    'index.html',
    'run.json',
  ]) {
    assert.ok(existsSync(join(out, f)), `${f} missing in ${out}`);
  }
  const report = readFileSync(join(out, 'index.html'), 'utf8');
  assert.ok(!report.includes('id="accuracy"'), 'no accuracy section without predictions');
  assert.ok(readdirSync(out).every((f) => !f.endsWith('.tmp')));
}

test('integer .npy labels of every width (and whole floats) colour the map, named by --classes or by id', async () => {
  const cases: [string, string, ArrayBufferView][] = [
    ['i1', '|i1', Int8Array.from(ids)],
    ['u1', '|u1', Uint8Array.from(ids)],
    ['i2', '<i2', Int16Array.from(ids)],
    ['u2', '<u2', Uint16Array.from(ids)],
    ['i4', '<i4', Int32Array.from(ids)],
    ['u4', '<u4', Uint32Array.from(ids)],
    ['i8', '<i8', BigInt64Array.from(ids, BigInt)],
    ['f8', '<f8', Float64Array.from(ids)],
  ];
  const runs = await Promise.all(
    cases.map(([name, descr, a], c) => {
      const file = save(`labels-${name}.npy`, npy(descr, [N], bytesOf(a)));
      // Every other case with --classes; the rest are named by their ids.
      return reduce('--labels', file, '--no-thumbnails', ...(c % 2 === 0 ? ['--classes', classes] : []));
    }),
  );
  for (const [c, r] of runs.entries()) {
    assert.equal(r.code, 0, `${cases[c][0]}: ${r.stderr}`);
    const names = c % 2 === 0 ? ['zero', 'one', 'two'] : ['0', '1', '2'];
    assert.deepEqual(
      mapColumn(r.out, 'label_name'),
      ids.map((i) => names[i]),
      cases[c][0],
    );
    const page = pageData(join(r.out, 'pca-2d.html'));
    assert.equal(page.colorBy, 'label');
    assert.deepEqual(page.labels, ids);
    assert.deepEqual(page.classes, names);
    assert.ok(
      readFileSync(join(r.out, 'pca-2d.svg'), 'utf8').includes(`>${names[2]}<`),
      'legend names the classes',
    );
    assert.equal(JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8')).options.labelsForm, 'npy');
  }
  assertDrawn(runs[0].out);
});

test('one label per line: names (with a label header), ids named by --classes, or a CSV label column', async () => {
  const names = ['zero', 'one', 'two'];
  const [byName, byId, csv] = await Promise.all([
    reduce(
      '--labels',
      save('names.txt', `label\n${ids.map((i) => names[i]).join('\n')}\n`),
      '--no-thumbnails',
    ),
    reduce('--labels', save('ids.txt', `${ids.join('\r\n')}\r\n`), '--classes', classes, '--no-thumbnails'),
    reduce(
      '--labels',
      save('list.csv', `path,label\n${ids.map((i, r) => `img${r}.png,${names[i]}`).join('\n')}\n`),
      '--classes',
      classes,
      '--no-thumbnails',
    ),
  ]);
  for (const r of [byName, byId, csv]) assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    mapColumn(byName.out, 'label_name'),
    ids.map((i) => names[i]),
  );
  // Without --classes, names become classes in sorted order.
  assert.deepEqual(pageData(join(byName.out, 'pca-2d.html')).classes, ['one', 'two', 'zero']);
  assert.deepEqual(
    mapColumn(byId.out, 'label_name'),
    ids.map((i) => names[i]),
  );
  assert.deepEqual(pageData(join(csv.out, 'pca-2d.html')).labels, ids);
  assertDrawn(byId.out);
});

test('--paths gives thumbnails; a path with no image gives a point without one and a warning', async () => {
  const root = exampleSubset(3, ['Bag', 'Coat', 'Dress']); // 9 real images
  const images = readdirSync(root)
    .sort()
    .flatMap((c) =>
      readdirSync(join(root, c))
        .sort()
        .map((f) => `${c}/${f}`),
    );
  const rows = Array.from({ length: N }, (_, i) =>
    i === 7 ? 'Bag/no-such-image.png' : images[i % images.length],
  );
  mkdirSync(join(root, 'lists'));
  // Relative to the paths file's folder, as documented; absolute paths work as they are.
  const pathsFile = join(root, 'lists', 'paths.txt');
  writeFileSync(pathsFile, `${rows.map((p, i) => (i === 3 ? join(root, p) : `../${p}`)).join('\n')}\n`);
  const labels = save('labels-paths.npy', npy('<i8', [N], bytesOf(BigInt64Array.from(ids, BigInt))));
  const r = await reduce('--labels', labels, '--paths', pathsFile);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: 1 of 30 image paths \(relative to .*lists\) name no readable image, e\.g\. \.\.\/Bag\/no-such-image\.png; those points are drawn without a thumbnail/,
  );
  const page = pageData(join(r.out, 'pca-2d.html'));
  assert.equal(page.thumbs?.length, N);
  page.thumbs?.forEach((t, i) => {
    if (i === 7) assert.equal(t, null);
    else assert.match(t ?? '', /^data:image\/(png|webp);base64,/, `row ${i}`);
  });
  assert.equal(page.paths[0], `../${rows[0]}`);
  assertDrawn(r.out);

  // featscope plot draws the reduce folder again, thumbnails included.
  const again = await runCli(['plot', '--run', r.out]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(pageData(join(r.out, 'pca-2d.html')).thumbs, page.thumbs);

  // --thumbnails folder: the same images as files next to the pages, named by row, none for row 7.
  const folder = await runCli(['plot', '--run', r.out, '--thumbnails', 'folder']);
  assert.equal(folder.code, 0, folder.stderr);
  const fp = pageData(join(r.out, 'pca-2d.html'));
  assert.equal(fp.thumbMode, 'folder');
  // Kind 2 = PNG (1 + its index in the page's extension list): the example's small PNG files are
  // inlined as they are, so the folder holds them as .png files.
  assert.deepEqual(
    fp.arrays.thumbKinds,
    page.thumbs!.map((t) => (t ? 2 : 0)),
  );
  for (const i of [0, 8, 29]) {
    const bytes = readFileSync(join(r.out, 'thumbnails', '0', `${i}.png`)).toString('base64');
    assert.equal(`data:image/png;base64,${bytes}`, page.thumbs![i], `row ${i}`);
  }
  assert.equal(readdirSync(join(r.out, 'thumbnails', '0')).length, N - 1);
  assert.deepEqual(
    readdirSync(r.out).filter((f) => f.startsWith('.')),
    [],
    'no temporary folder left',
  );
  const manifest = () => JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8')).options.plot;
  assert.equal(manifest().thumbnailMode, 'folder');
  assert.equal(manifest().resolvedThumbnails, 'folder');
  // 'auto' at 30 points puts them back inline, and the folder goes.
  const auto = await runCli(['plot', '--run', r.out]);
  assert.equal(auto.code, 0, auto.stderr);
  assert.deepEqual(pageData(join(r.out, 'pca-2d.html')).thumbs, page.thumbs);
  assert.ok(!existsSync(join(r.out, 'thumbnails')));
  assert.equal(manifest().resolvedThumbnails, 'inline');

  // Bad values are usage errors, named, in one paragraph.
  for (const [args, message] of [
    [['--thumbnails', 'sideways'], /--thumbnails must be one of inline, folder, auto \(got "sideways"\)/],
    [
      ['--thumbnails', 'folder', '--no-thumbnails'],
      /--thumbnails folder and --no-thumbnails contradict each other/,
    ],
  ] as const) {
    const bad = await runCli(['plot', '--run', r.out, ...args]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
    assert.ok(!hasStackTrace(bad.stderr));
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  }
});

test('plot draws a folder holding only a map and features.npy: no accuracy, coloured by label', async () => {
  const r = await reduce(
    '--labels',
    save('names-plot.txt', ids.map((i) => `c${i}`).join('\n')),
    '--no-thumbnails',
  );
  assert.equal(r.code, 0, r.stderr);
  const bare = mkdtempSync(join(dir, 'bare-'));
  copyFileSync(join(r.out, 'pca-2d.csv'), join(bare, 'tsne-2d.csv'));
  copyFileSync(features, join(bare, 'features.npy'));
  const p = await runCli(['plot', '--run', bare]);
  assert.equal(p.code, 0, p.stderr);
  for (const f of ['tsne-2d.png', 'tsne-2d.svg', 'tsne-2d.pdf', 'tsne-2d.html', 'index.html'])
    assert.ok(existsSync(join(bare, f)), f);
  const page = pageData(join(bare, 'tsne-2d.html'));
  assert.equal(page.colorBy, 'label');
  assert.deepEqual(page.classes, ['c0', 'c1', 'c2']);
  assert.deepEqual(page.labels, ids);
  assert.ok(!readFileSync(join(bare, 'index.html'), 'utf8').includes('id="accuracy"'));

  // Colouring by prediction a map that has none says so, and run.json records what the pages show.
  const byPred = await runCli(['plot', '--run', bare, '--color-by', 'prediction']);
  assert.equal(byPred.code, 0, byPred.stderr);
  assert.match(
    byPred.stderr,
    /--color-by prediction: these points have no predictions, so the pages open coloured by label/,
  );
  const m = JSON.parse(readFileSync(join(bare, 'run.json'), 'utf8'));
  assert.equal(m.options.plot.resolvedColorBy, 'label');
  assert.equal(pageData(join(bare, 'tsne-2d.html')).colorBy, 'label');

  const empty = mkdtempSync(join(dir, 'empty-'));
  const none = await runCli(['plot', '--run', empty]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /holds no map \(tsne-2d\.csv, tsne-3d\.csv, pca-2d\.csv, \.\.\.\)/);
  assert.ok(!hasStackTrace(none.stderr));
  assert.deepEqual(readdirSync(empty), []);
});

test('bad labels and paths: exit 1 with what is wrong and where, nothing written', async () => {
  const shortIds = save('short.npy', npy('<i4', [N - 2], bytesOf(Int32Array.from(ids.slice(2)))));
  const cases: [string[], RegExp, number?][] = [
    [['--labels', shortIds], /short\.npy has 28 labels but \S*features\.npy has 30 rows/],
    [
      [
        '--labels',
        save('half.npy', npy('<f4', [N], bytesOf(Float32Array.from(ids, (v, i) => (i === 4 ? 1.5 : v))))),
      ],
      /half\.npy is not a usable NumPy label array: row 4 holds 1\.5, not a whole class id/,
    ],
    [
      ['--labels', save('onehot.npy', npy('<f4', [N, 3], bytesOf(new Float32Array(N * 3))))],
      /onehot\.npy is not a usable NumPy label array: its shape is \(30, 3\); one id per row is needed \(for one-hot rows save labels\.argmax\(1\)\)/,
    ],
    [
      ['--labels', save('complex.npy', npy('<c8', [N], new Uint8Array(N * 8)))],
      /complex\.npy is not a usable NumPy label array: its dtype is <c8; one of \|i1, \|u1, <i2/,
    ],
    [
      [
        '--labels',
        save('unknown.txt', ids.map((i) => (i === 2 ? 'tow' : ['zero', 'one'][i])).join('\n')),
        '--classes',
        classes,
      ],
      /unknown\.txt line 3 has the class name "tow", which \S*classes\.json does not name \(it names 3 classes: "zero", "one", "two"\)/,
    ],
    [
      ['--labels', save('toobig.txt', ids.map((i) => i * 2).join('\n')), '--classes', classes],
      /toobig\.txt line 3 has the class id 4, but \S*classes\.json names only 3 classes/,
    ],
    [
      ['--labels', save('rows.txt', 'label\na\nb\n')],
      /rows\.txt has 2 labels but \S*features\.npy has 30 rows/,
    ],
    [
      ['--labels', save('wide.csv', 'path,name\na,b\n')],
      /wide\.csv has 2 columns \(path, name\) and none is named "label"/,
    ],
    [
      ['--labels', join(dir, 'no-such-labels.npy')],
      /Cannot read the labels file \S*no-such-labels\.npy: ENOENT/,
    ],
    [
      ['--paths', join(dir, 'no-such-paths.txt')],
      /Cannot read the paths file \S*no-such-paths\.txt: ENOENT\. Check the --paths path/,
    ],
    [
      ['--paths', save('few-paths.txt', 'a.png\nb.png\n')],
      /few-paths\.txt has 2 paths but \S*features\.npy has 30 rows/,
    ],
    [['--classes', classes], /--classes names the class ids of --labels; pass --labels too/, 2],
  ];
  const runs = await Promise.all(cases.map(([args]) => reduce(...args)));
  for (const [c, [, message, code]] of cases.entries()) assertRefused(runs[c], message, code);
});

test('a predictions table as --labels keeps its predictions: accuracy in the report, thumbnails from its run', async () => {
  const data = exampleSubset(3, ['Bag', 'Coat', 'Sandal']);
  const cls = join(mkdtempSync(join(dir, 'cls-')), 'cls');
  const c = await runCli(['classify', '--model', join(EXAMPLE, 'model.onnx'), '--data', data, '--out', cls]);
  assert.equal(c.code, 0, c.stderr);
  const r = await runReduce(join(cls, 'features.npy'), dir, [
    '--method',
    'pca',
    '--dims',
    '2',
    '--labels',
    join(cls, 'predictions.csv'),
    '--perplexity',
    '3',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(mapColumn(r.out, 'pred_name').every((p) => p !== ''));
  assert.match(readFileSync(join(r.out, 'index.html'), 'utf8'), /id="accuracy"[\s\S]*Top-1 accuracy <b>/);
  const page = pageData(join(r.out, 'pca-2d.html'));
  assert.ok(
    page.thumbs?.every((t) => /^data:image\/(png|webp);base64,/.test(t ?? '')),
    'thumbnails from the run folder named in its run.json',
  );
});
