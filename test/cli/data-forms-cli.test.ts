/**
 * The forms `--data` takes besides an ImageFolder, through the CLI as a user runs it: a flat folder of
 * unlabelled images, a CSV list, torchvision's MNIST-family folder; and each one's bad inputs (exit 1,
 * one paragraph, no stack trace, nothing written).
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsvRecords } from '../../src/io/csv.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { pageDataOf } from '../helpers/page-data.js';

const MODEL = join(EXAMPLE, 'model.onnx');
const CLASSES = join(EXAMPLE, 'classes.json');
const MNIST = join(import.meta.dirname, '..', 'fixtures', 'mnist');

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A flat folder: the first `perClass` images of some example classes, renamed <class>-<file>. */
function flatFolder(perClass: number, classes = ['Bag', 'Coat', 'Trouser']): string {
  const dir = tmp('fs-flat-');
  for (const c of classes) {
    for (const f of readdirSync(join(EXAMPLE, 'data', c))
      .sort()
      .slice(0, perClass))
      copyFileSync(join(EXAMPLE, 'data', c, f), join(dir, `${c}-${f}`));
  }
  return dir;
}

function readTable(file: string) {
  return parseCsvRecords(readFileSync(file, 'utf8'));
}

test('a flat folder is unlabelled: empty label columns, no accuracy, pages coloured by prediction', async () => {
  const data = flatFolder(3);
  const out = tmp('fs-out-');
  const r = await runCli([
    'run',
    '--model',
    MODEL,
    '--data',
    data,
    '--out',
    out,
    '--method',
    'pca',
    '--dims',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { header, records } = readTable(join(out, 'predictions.csv'));
  assert.deepEqual(header.slice(0, 4), ['path', 'label_id', 'label_name', 'top1_id']);
  assert.equal(records.length, 9);
  assert.deepEqual(
    records.map((x) => x.path),
    readdirSync(data).sort(),
  );
  for (const x of records) {
    assert.equal(x.label_id, '');
    assert.equal(x.label_name, '');
    assert.equal(x.topk_correct, '');
    assert.match(x.top1_name, /\S/);
  }
  const report = readFileSync(join(out, 'index.html'), 'utf8');
  assert.doesNotMatch(report, /top-1 accuracy<\/div>/);
  assert.match(report, /No predictions with labels in this run, so no accuracy/);
  const page = readFileSync(join(out, 'pca-2d.html'), 'utf8');
  assert.match(page, /"colorBy":"prediction"/);
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.deepEqual(manifest.data.domains, [{ name: '', root: data, form: 'flat-folder', n: 9 }]);
  assert.equal(manifest.data.classesFrom, 'model-metadata');
});

test('a CSV list keeps its row order, resolves paths from its folder, and skips a missing file', async () => {
  const dir = tmp('fs-csv-');
  mkdirSync(join(dir, 'img'));
  const flat = flatFolder(2, ['Bag', 'Trouser']);
  const files = readdirSync(flat).sort();
  for (const f of files) copyFileSync(join(flat, f), join(dir, 'img', f));
  const csv = join(dir, 'list.csv');
  // Rows out of name order, an absolute path, a quoted field, a missing file and an unlabelled row.
  writeFileSync(
    csv,
    `path,label\nimg/${files[3]},Trouser\n"img/${files[0]}",Bag\nimg/missing.png,Bag\n${join(flat, files[2])},Trouser\nimg/${files[1]},\n`,
  );
  const out = tmp('fs-out-');
  const r = await runCli(['classify', '--model', MODEL, '--data', csv, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /img\/missing\.png: file not found/);
  const { records } = readTable(join(out, 'predictions.csv'));
  assert.deepEqual(
    records.map((x) => [x.path, x.label_name, x.label_id]),
    [
      [`img/${files[3]}`, 'Trouser', '1'],
      [`img/${files[0]}`, 'Bag', '8'],
      [join(flat, files[2]), 'Trouser', '1'],
      [`img/${files[1]}`, '', ''],
    ],
  );
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(manifest.data.domains[0].form, 'csv-list');
  assert.deepEqual(
    manifest.data.skipped.map((s: { path: string }) => s.path),
    ['img/missing.png'],
  );
  // With --strict the missing file stops the run before anything is written.
  const strictOut = tmp('fs-out-');
  const s = await runCli(['classify', '--model', MODEL, '--data', csv, '--out', strictOut, '--strict']);
  assert.equal(s.code, 1, s.stderr);
  assert.match(s.stderr, /Cannot use the image img\/missing\.png: file not found/);
  assert.ok(!existsSync(join(strictOut, 'predictions.csv')));
});

test('CSV labels are class names; with --classes, whole numbers are class indices; without labels the list is unlabelled', async () => {
  const dir = tmp('fs-csv-');
  const flat = flatFolder(1, ['Bag', 'Coat']);
  const [bag, coat] = readdirSync(flat).sort();
  writeFileSync(join(dir, 'ids.csv'), `label,path\n8,${join(flat, bag)}\nCoat,${join(flat, coat)}\n`);
  const out = tmp('fs-out-');
  const r = await runCli([
    'classify',
    '--model',
    MODEL,
    '--data',
    join(dir, 'ids.csv'),
    '--classes',
    CLASSES,
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    readTable(join(out, 'predictions.csv')).records.map((x) => x.label_name),
    ['Bag', 'Coat'],
  );
  writeFileSync(join(dir, 'paths.csv'), `path\n${join(flat, bag)}\n`);
  const out2 = tmp('fs-out-');
  const u = await runCli(['classify', '--model', MODEL, '--data', join(dir, 'paths.csv'), '--out', out2]);
  assert.equal(u.code, 0, u.stderr);
  assert.match(u.stderr, /has no label column/);
  assert.match(u.stdout, /no labels/);
  assert.equal(readTable(join(out2, 'predictions.csv')).records[0].label_id, '');
});

test("torchvision's MNIST-family folder: test split by default, --split train, from any of its levels, with thumbnails", async () => {
  const expected = JSON.parse(readFileSync(join(MNIST, 'parity.json'), 'utf8')) as { targets: number[] };
  const out = tmp('fs-out-');
  const r = await runCli([
    'run',
    '--model',
    MODEL,
    '--data',
    MNIST,
    '--out',
    out,
    '--method',
    'pca',
    '--dims',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { records } = readTable(join(out, 'predictions.csv'));
  assert.deepEqual(
    records.map((x) => [x.path, Number(x.label_id)]),
    expected.targets.map((t, i) => [`test/0000${i}`, t]),
  );
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.deepEqual(manifest.data.domains, [
    { name: '', root: MNIST, form: 'mnist-idx', n: 6, split: 'test', dataset: 'FashionMNIST' },
  ]);
  // Thumbnails come from the in-memory pixels: every point has one, a lossless PNG of the 28 x 28 pixels.
  const page = readFileSync(join(out, 'pca-2d.html'), 'utf8');
  const data = pageDataOf(page);
  assert.equal(data.thumbs!.length, 6);
  assert.ok(data.thumbs!.every((t: string | null) => t?.startsWith('data:image/png;base64,')));

  const train = tmp('fs-out-');
  const t = await runCli([
    'classify',
    '--model',
    MODEL,
    '--data',
    join(MNIST, 'FashionMNIST', 'raw'),
    '--split',
    'train',
    '--out',
    train,
  ]);
  assert.equal(t.code, 0, t.stderr);
  assert.deepEqual(
    readTable(join(train, 'predictions.csv')).records.map((x) => x.path),
    ['train/00000', 'train/00001', 'train/00002', 'train/00003'],
  );
});

test('bad --data inputs exit 1 (usage mistakes 2) with one paragraph, no stack trace and nothing written', async () => {
  const csvDir = tmp('fs-bad-csv-');
  writeFileSync(join(csvDir, 'nopath.csv'), 'file,label\na.png,Bag\n');
  writeFileSync(
    join(csvDir, 'badlabel.csv'),
    `path,label\n${join(EXAMPLE, 'data', 'Bag', readdirSync(join(EXAMPLE, 'data', 'Bag'))[0])},Handbag\n`,
  );
  writeFileSync(join(csvDir, 'list.txt'), 'path\na.png\n');
  mkdirSync(join(csvDir, 'lists'));
  writeFileSync(join(csvDir, 'lists', 'elsewhere.csv'), 'path\nimages/a.png\nimages/b.png\n');
  const truncated = tmp('fs-bad-idx-');
  cpSync(join(MNIST, 'FashionMNIST'), join(truncated, 'FashionMNIST'), { recursive: true });
  truncateSync(join(truncated, 'FashionMNIST', 'raw', 't10k-images-idx3-ubyte'), 2000);
  const mismatch = tmp('fs-bad-idx-');
  cpSync(join(MNIST, 'FashionMNIST'), join(mismatch, 'FashionMNIST'), { recursive: true });
  copyFileSync(
    join(MNIST, 'FashionMNIST', 'raw', 'train-labels-idx1-ubyte'),
    join(mismatch, 'FashionMNIST', 'raw', 't10k-labels-idx1-ubyte'),
  );
  const mixed = exampleSubset(1, ['Bag', 'Coat']);
  copyFileSync(
    join(EXAMPLE, 'data', 'Bag', readdirSync(join(EXAMPLE, 'data', 'Bag'))[0]),
    join(mixed, 'stray.png'),
  );
  const folder = exampleSubset(1, ['Bag', 'Coat']);
  const out = tmp('fs-out-');
  const cases: [string[], number, RegExp][] = [
    [
      ['--data', join(csvDir, 'nopath.csv')],
      1,
      /nopath\.csv has no "path" column \(its header is: file, label\)/,
    ],
    [
      ['--data', join(csvDir, 'badlabel.csv'), '--classes', CLASSES],
      1,
      /The label "Handbag" in .*badlabel\.csv is not named in the class-index file/,
    ],
    [['--data', join(csvDir, 'list.txt')], 1, /list\.txt is a file but not a CSV list/],
    [['--data', truncated], 1, /t10k-images-idx3-ubyte is not a usable IDX file: it is truncated/],
    [['--data', mismatch], 1, /holds 6 images but .*t10k-labels-idx1-ubyte holds 4 labels/],
    [
      ['--data', folder, '--split', 'train'],
      1,
      /--split train chooses between the train and test files .* but --data is an ImageFolder/,
    ],
    [['--data', mixed], 1, /holds both 1 image\(s\) and 2 sub-folder\(s\) \(Bag, Coat\)/],
    [['--data', MNIST, '--split', 'validation'], 2, /--split must be one of train, test/],
    [['--data', folder, '--data', `b=${folder}`], 2, /each value must be NAME=DIR/],
    [['--data', `a=${folder}`, '--data', `a=${MNIST}`], 2, /domain name "a" is given twice/],
  ];
  for (const [args, code, message] of cases) {
    const r = await runCli(['classify', '--model', MODEL, '--out', out, ...args]);
    assert.equal(r.code, code, `${args.join(' ')}\n${r.stderr}`);
    assert.match(r.stderr, message);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    assert.equal(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim()).length,
      1,
      r.stderr,
    );
  }
  // Every listed file missing (paths written relative to the wrong folder): the message names the
  // first file as featscope resolved it.
  const lost = await runCli([
    'classify',
    '--model',
    MODEL,
    '--out',
    out,
    '--data',
    join(csvDir, 'lists', 'elsewhere.csv'),
  ]);
  assert.equal(lost.code, 1, lost.stderr);
  assert.match(
    lost.stderr,
    /None of the 2 images could be decoded \(file not found.*; the first: .*lists\/images\/a\.png\)\. .*relative to the CSV file/,
  );
  assert.deepEqual(readdirSync(out), []);
  const d = await runCli(['run', '--model', MODEL, '--out', out, '--data', folder, '--color-by', 'domain']);
  assert.equal(d.code, 2, d.stderr);
  assert.match(d.stderr, /--color-by domain needs points from several domains/);
  assert.deepEqual(readdirSync(out), []);
});
