/**
 * Models featscope cannot feed, or must feed carefully, through `featscope classify` as a user runs it:
 * each failure is exit 1, one paragraph naming the file and what to do, no stack trace, no outputs.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/io/csv.js';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { exampleSubset } from '../helpers/example-subset.js';
import { OnnxBuilder, seededFloats, tinyCnn } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-badmodel-'));
const data = exampleSubset(2, ['Bag', 'Coat', 'Dress']); // 28x28 greyscale PNGs

function save(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Runs classify into a fresh folder; returns the result and the folder. */
async function classify(model: string, ...extra: string[]) {
  const out = join(mkdtempSync(join(dir, 'out-')), 'out');
  const r = await runCli(['classify', '--model', model, '--data', data, '--out', out, ...extra]);
  return { ...r, out };
}

function assertCleanFailure(r: { code: number | null; stderr: string; out: string }, message: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  // One paragraph: the "featscope: ..." line and nothing after it.
  assert.equal(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('featscope:')).length,
    1,
    r.stderr,
  );
  const left = existsSync(r.out) ? readdirSync(r.out) : [];
  assert.deepEqual(left, [], `files left: ${left.join(', ')}`);
}

test('a model with two inputs is refused, naming both inputs', async () => {
  const model = save(
    'two-inputs.onnx',
    new OnnxBuilder()
      .input('image', ['batch', 1, 28, 28])
      .input('mask', ['batch', 1, 28, 28])
      .output('logits', ['batch', 1, 28, 28])
      .node('Add', ['image', 'mask'], ['logits'], 'add')
      .build(),
  );
  const r = await classify(model);
  assertCleanFailure(r, /two-inputs\.onnx has 2 inputs \(image, mask\); featscope feeds one image batch/);
});

test('a model whose input is not an image batch (rank 2) is refused with its shape', async () => {
  const model = save(
    'vector-input.onnx',
    new OnnxBuilder()
      .input('x', ['batch', 10])
      .output('logits', ['batch', 3])
      .init('fc.weight', [3, 10], seededFloats(30, 7))
      .init('fc.bias', [3], seededFloats(3, 8))
      .node('Gemm', ['x', 'fc.weight', 'fc.bias'], ['logits'], '/fc/Gemm', [{ name: 'transB', i: 1 }])
      .build(),
  );
  const r = await classify(model);
  assertCleanFailure(
    r,
    /vector-input\.onnx's input "x" is float32 with shape \[batch, 10\]; featscope needs a float32 image batch \[N, C, H, W\]/,
  );
});

test('a model that takes uint8 images (not float) is refused, naming the type', async () => {
  const model = save(
    'uint8-input.onnx',
    new OnnxBuilder()
      .input('pixels', ['batch', 3, 8, 8], 2)
      .output('logits', ['batch', 3, 8, 8])
      .node('Identity', ['pixels'], ['logits'], 'id')
      .build(),
  );
  const r = await classify(model);
  assertCleanFailure(
    r,
    /uint8-input\.onnx's input "pixels" is uint8 with shape \[batch, 3, 8, 8\]; featscope needs a float32 image batch/,
  );
});

test("fixed batches of 1 and 4 run (the last batch padded) and give the dynamic model's features", async () => {
  const opts = { height: 28, width: 28, classes: 3, seed: 9 };
  const features = async (name: string, batch: number | string) => {
    const model = save(name, tinyCnn({ ...opts, batch }).bytes);
    const r = await classify(model, '--batch-size', '5', '--preset', 'none');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    const rows = parseCsv(readFileSync(join(r.out, 'predictions.csv'), 'utf8'));
    assert.equal(rows.length, 1 + 6);
    assert.equal(JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8')).data.n, 6);
    const f = decodeNpyMatrix(readFileSync(join(r.out, 'features.npy')));
    assert.equal(f.rows, 6);
    assert.equal(f.cols, 6); // the tiny CNN's hidden layer, the input of its last Gemm
    return { f: f.data, stderr: r.stderr };
  };
  const dynamic = await features('dynamic.onnx', 'batch');
  const one = await features('batch1.onnx', 1);
  const four = await features('batch4.onnx', 4); // 6 images: a full batch, then 2 images + 2 padding rows
  assert.match(one.stderr, /the model's batch size is fixed at 1; --batch-size 5 is ignored/);
  assert.match(four.stderr, /the model's batch size is fixed at 4; --batch-size 5 is ignored/);
  assert.doesNotMatch(dynamic.stderr, /batch size is fixed/);
  assert.ok(
    dynamic.f.some((v) => v !== 0),
    'features are not all zero',
  );
  for (const other of [one.f, four.f]) {
    for (let i = 0; i < dynamic.f.length; i++)
      assert.ok(Math.abs(other[i] - dynamic.f[i]) <= 1e-5, `value ${i}`);
  }
});

test('a fixed input size that disagrees with the images names both sizes and the flags to pass', async () => {
  const model = save('fixed8.onnx', tinyCnn({ height: 8, width: 8 }).bytes);
  // No resize/crop: the 28x28 images reach the model as they are.
  const r = await classify(model, '--preset', 'none');
  assertCleanFailure(
    r,
    /Bag\/\S+\.png is 28x28 \(width x height\) after preprocessing but the model needs 8x8\. Pass --resize N and --crop N \(e\.g\. --resize 9 --crop 8\)/,
  );
});

test('a fixed input size that disagrees with the preset crop names both sizes and the flags to pass', async () => {
  const model = save('fixed8-rgb.onnx', tinyCnn({ channels: 3, height: 8, width: 8 }).bytes);
  const r = await classify(model, '--preset', 'imagenet');
  assertCleanFailure(
    r,
    /The model takes 8x8 images but preprocessing crops to 224x224 \(preset 'imagenet'\)\. Pass --crop 8 with a matching --resize/,
  );
});
