import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/io/csv.js';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';

const MODEL = join(EXAMPLE, 'model.onnx');
const CLASSES = join(EXAMPLE, 'classes.json');

test('featscope classify writes predictions.csv, features.npy and run.json in the contract format', async () => {
  const data = exampleSubset(4);
  writeFileSync(join(data, 'Bag', 'broken.png'), 'not a png');
  const out = mkdtempSync(join(tmpdir(), 'fs-out-'));
  const r = await runCli([
    'classify',
    '--model',
    MODEL,
    '--data',
    data,
    '--classes',
    CLASSES,
    '--out',
    out,
    '--top-k',
    '2',
    '--batch-size',
    '7',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Bag\/broken\.png: /);
  const rows = parseCsv(readFileSync(join(out, 'predictions.csv'), 'utf8'));
  const header = rows[0];
  const classes = Object.values(JSON.parse(readFileSync(CLASSES, 'utf8')) as Record<string, string>);
  assert.deepEqual(header, [
    'path',
    'label_id',
    'label_name',
    'top1_id',
    'top1_name',
    'top1_confidence',
    'top2_id',
    'top2_name',
    'top2_confidence',
    'topk_correct',
    ...classes.map((c) => `conf_${c}`),
  ]);
  assert.equal(rows.length, 1 + 40);
  assert.equal(rows[1][0], 'Ankle boot/' + readdirSync(join(data, 'Ankle boot')).sort()[0]);
  for (const row of rows.slice(1)) {
    const probs = row.slice(10).map(Number);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(Number(row[5]), Math.max(...probs));
    assert.equal(row[4], classes[Number(row[3])]);
    assert.equal(row[9], String(row[3] === row[1] || row[6] === row[1]));
  }
  const f = decodeNpyMatrix(readFileSync(join(out, 'features.npy')));
  assert.equal(f.rows, 40);
  assert.equal(f.cols, 128);
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(manifest.data.n, 40);
  assert.deepEqual(manifest.data.skipped, [
    { path: 'Bag/broken.png', reason: manifest.data.skipped[0].reason },
  ]);
  assert.equal(manifest.model.layerModulePath, 'classifier.1');
  assert.equal(manifest.options.preprocess.channels, 1);
  assert.ok(readdirSync(out).every((f) => !f.endsWith('.tmp')));
});

test('user errors exit 1 with one paragraph and no stack trace; usage errors exit 2', async () => {
  const data = exampleSubset(1, ['Bag', 'Coat']);
  const out = mkdtempSync(join(tmpdir(), 'fs-out-'));
  const cases: [string[], number, RegExp][] = [
    [
      ['classify', '--model', MODEL, '--data', data, '--out', out, '--layer', 'classifier.9'],
      1,
      /no layer "classifier\.9"\. Closest names: classifier\./,
    ],
    [
      ['classify', '--model', join(data, 'Bag'), '--data', data, '--out', out],
      1,
      /Cannot read the model file/,
    ],
    [['classify', '--model', CLASSES, '--data', data, '--out', out], 1, /not an ONNX model/],
    [
      ['classify', '--model', MODEL, '--data', data, '--out', out, '--top-k', '11', '--classes', CLASSES],
      2,
      /--top-k 11 is larger than the model's 10 classes/,
    ],
    [
      ['classify', '--model', MODEL, '--data', data, '--out', out, '--preset', 'imagenet', '--channels', '1'],
      1,
      /takes 28x28 images but preprocessing crops to 224x224/,
    ],
    [['classify', '--model', MODEL, '--data', data, '--out', CLASSES], 1, /is a file, not a folder/],
    [
      ['classify', '--model', MODEL, '--data', join(data, 'nope'), '--out', out],
      1,
      /Cannot read the test set folder/,
    ],
    [['classify', '--model', MODEL, '--data', data], 2, /needs --out/],
    [['classify', '--model', MODEL, '--data', data, '--out', out, '--bogus'], 2, /Unknown option '--bogus'/],
    [['frobnicate'], 2, /Unknown command "frobnicate"/],
  ];
  for (const [args, code, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, code, `${args.join(' ')}\n${r.stderr}`);
    assert.match(r.stderr, message);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
  }
  assert.ok(!existsSync(join(out, 'predictions.csv')), 'no output after failed runs');
});

test('featscope layers lists module paths with shapes and marks the default', async () => {
  const r = await runCli(['layers', '--model', MODEL]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\*\s+classifier\.1\s+Relu\s+\[1, 128\]/);
  assert.match(r.stdout, /features\.0\s+Conv\s+\[1, 32, 28, 28\]/);
});
