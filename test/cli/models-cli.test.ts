/**
 * Models as people export them, through the CLI as a user runs it: a view(x.size(0), -1) model (int64
 * shape tensors), a Softmax-ended model, a two-output model (--output), a channels-last model and
 * --layout. Models come from test/fixtures/corpus (scripts/python/export_corpus.py).
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
import * as ort from 'onnxruntime-node';
import { parseCsv } from '../../src/io/csv.js';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { softmaxRows } from '../../src/model/softmax.js';
import { prepareImage } from '../../src/preprocess/image-tensor.js';
import { resolvePreprocess } from '../../src/preprocess/options.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { exampleSubset } from '../helpers/example-subset.js';
import { OnnxBuilder } from '../helpers/onnx-builder.js';

const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'corpus');
const IMAGES = join(import.meta.dirname, '..', 'fixtures', 'images');
const dir = mkdtempSync(join(tmpdir(), 'fs-models-'));
const fashion = exampleSubset(2, ['Bag', 'Coat']); // 28x28 greyscale PNGs
/** The 16x16 RGB input of the small corpus CNNs, from photos of any size. */
const PHOTO_PREPROCESS = ['--preset', 'imagenet', '--resize', '16', '--crop', '16'];

/** An ImageFolder of the awkward fixture images (RGB, RGBA, palette, CMYK, 16-bit, ...) in two classes. */
function photoFolder(): string {
  const root = mkdtempSync(join(dir, 'photos-'));
  readdirSync(IMAGES)
    .sort()
    .forEach((f, i) => {
      const cls = join(root, i % 2 === 0 ? 'even' : 'odd');
      mkdirSync(cls, { recursive: true });
      copyFileSync(join(IMAGES, f), join(cls, f));
    });
  return root;
}

/** `featscope classify` of a corpus model (or a model path) into a fresh folder. */
async function classify(model: string, data: string, ...extra: string[]) {
  const out = join(mkdtempSync(join(dir, 'out-')), 'out');
  const path = model.endsWith('.onnx') ? model : join(CORPUS, `${model}.onnx`);
  const r = await runCli(['classify', '--model', path, '--data', data, '--out', out, ...extra]);
  return { ...r, out };
}

/** predictions.csv as rows of named columns, plus the conf_ columns of each row in class order. */
function readPredictions(out: string): { rows: Record<string, string>[]; conf: number[][] } {
  const [header, ...body] = parseCsv(readFileSync(join(out, 'predictions.csv'), 'utf8'));
  const rows = body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  const confCols = header.filter((h) => h.startsWith('conf_'));
  return { rows, conf: rows.map((r) => confCols.map((c) => Number(r[c]))) };
}

function runJson(out: string): { options: Record<string, unknown>; warnings: string[] } {
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
}

function assertCleanFailure(r: { code: number | null; stderr: string; out: string }, message: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.doesNotMatch(r.stderr, /internal error/);
  const left = existsSync(r.out) ? readdirSync(r.out) : [];
  assert.deepEqual(left, [], `files left: ${left.join(', ')}`);
}

test('layers on a view(x.size(0), -1) model lists float layers only, with the default marked', async () => {
  const r = await runCli(['layers', '--model', join(CORPUS, 'view-size.onnx')]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error|Concat|Shape|Gather|Unsqueeze|int64/);
  assert.match(r.stdout, /1 tensor that holds no floats \(shape arithmetic, indices, masks\) not listed/);
  assert.match(r.stdout, /^\*\s+-\s+Relu\s+\[1, 32\]\s+\/Relu_2_output_0$/m);
  assert.match(r.stdout, /^\s+-\s+Reshape\s+\[1, 392\]\s+\/Reshape_output_0$/m);
});

test('layers marks the default layer of a ViT (class token x[:, 0], a Gather) and a SqueezeNet (conv classifier)', async () => {
  const vit = await runCli(['layers', '--model', join(CORPUS, 'vit.onnx')]);
  assert.equal(vit.code, 0, vit.stderr);
  assert.match(vit.stdout, /^\*\s+-\s+Gather\s+\[1, 32\]\s+\/Gather_4_output_0$/m);
  const squeezenet = await runCli(['layers', '--model', join(CORPUS, 'squeezenet.onnx')]);
  assert.equal(squeezenet.code, 0, squeezenet.stderr);
  assert.match(squeezenet.stdout, /^\*\s+features\.12\s+Concat\s+\[1, 64, 2, 2\]/m);
});

test('layers on a channels-last model probes it with an NHWC image', async () => {
  const r = await runCli(['layers', '--model', join(CORPUS, 'channels-last.onnx')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /input "input" \[batch, 16, 16, 3\] \(NHWC\)/);
  assert.match(r.stdout, /^\s+-\s+Transpose\s+\[1, 3, 16, 16\]/m);
  assert.match(r.stdout, /shapes from one pass of a 16x16x3 zero image/);
});

test('layers on a model that a 224x224 zero image does not fit lists layers without shapes, and says why', async () => {
  const model = join(dir, 'fixed-flatten.onnx');
  writeFileSync(
    model,
    new OnnxBuilder()
      .input('image', ['N', 1, 'h', 'w'])
      .output('logits', ['N', 3])
      .init('fc.weight', [3, 64], new Float32Array(3 * 64).fill(0.01))
      .node('Relu', ['image'], ['act'], '/features/features.0/Relu')
      .node('Flatten', ['act'], ['flat'], '/Flatten', [{ name: 'axis', i: 1 }])
      .node('Gemm', ['flat', 'fc.weight'], ['logits'], '/fc/Gemm', [{ name: 'transB', i: 1 }])
      .build(),
  );
  const r = await runCli(['layers', '--model', model]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /a 1x224x224 zero image does not run through the model \(.*\), so shapes are unknown; pass --resize and --crop/,
  );
  assert.match(r.stdout, /^\*\s+-\s+Flatten\s+\?\s+flat$/m);
  const fits = await runCli(['layers', '--model', model, '--resize', '8', '--crop', '8']);
  assert.equal(fits.code, 0, fits.stderr);
  assert.match(fits.stdout, /^\*\s+-\s+Flatten\s+\[1, 64\]\s+flat$/m);
});

test('--layer naming an int64 shape tensor is a clear error (exit 1, nothing written)', async () => {
  const r = await classify('view-size', fashion, '--layer', '/Concat_output_0');
  assertCleanFailure(
    r,
    /The layer "\/Concat_output_0" of .*view-size\.onnx holds int64 values \(shape arithmetic, indices or masks\), not features\. Pick a float layer with --layer; `featscope layers --model/,
  );
});

test('a view(x.size(0), -1) model classifies with its default layer', async () => {
  const r = await classify('view-size', fashion);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(decodeNpyMatrix(readFileSync(join(r.out, 'features.npy'))).cols, 32);
});

test('--output with an unknown name lists the outputs (exit 1, nothing written)', async () => {
  const r = await classify('dann', fashion, '--output', 'logits');
  assertCleanFailure(r, /dann\.onnx has no output "logits"; its outputs are "class_output", "domain_output"/);
});

test('--output domain_output classifies with the DANN domain head, exponentiating its log-probabilities', async () => {
  const r = await classify('dann', fashion, '--output', 'domain_output', '--top-k', '1');
  const out = r.out;
  assert.equal(r.code, 0, r.stderr);
  const { conf } = readPredictions(out);
  assert.equal(conf.length, 4);
  for (const row of conf) {
    assert.equal(row.length, 2);
    assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-6, `${row}`);
  }
  const manifest = runJson(out);
  assert.equal(manifest.options.output, 'domain_output');
  assert.equal(manifest.options.outputKind, 'log-probabilities');
  // The default layer follows the chosen head: the input of domain_classifier.d_fc2 (16 wide).
  assert.equal(decodeNpyMatrix(readFileSync(join(out, 'features.npy'))).cols, 16);
});

test("a Softmax-ended model's conf_ columns are the model's own probabilities, not soft-maxed again", async () => {
  const data = photoFolder();
  const model = join(CORPUS, 'softmax-head.onnx');
  const r = await classify(model, data, ...PHOTO_PREPROCESS);
  const out = r.out;
  assert.equal(r.code, 0, r.stderr);
  const { rows, conf } = readPredictions(out);
  assert.equal(rows.length, readdirSync(IMAGES).length);
  assert.equal(runJson(out).options.outputKind, 'probabilities');
  // The model's own output on the same preprocessed pixels, straight from ONNX Runtime.
  const pre = resolvePreprocess(
    { preset: 'imagenet', resize: 16, crop: 16 },
    { channels: 3, height: 16, width: 16 },
  );
  const session = await ort.InferenceSession.create(readFileSync(model));
  let maxDiff = 0;
  for (const [i, row] of rows.entries()) {
    const img = await prepareImage(readFileSync(join(data, row.path)), pre);
    const y = (await session.run({ input: new ort.Tensor('float32', img.data, [1, 3, 16, 16]) }))
      .probabilities.data as Float32Array;
    assert.ok(Math.abs(conf[i].reduce((a, b) => a + b, 0) - 1) < 1e-5);
    for (let c = 0; c < y.length; c++) maxDiff = Math.max(maxDiff, Math.abs(conf[i][c] - y[c]));
    assert.equal(Number(row.top1_confidence), Math.max(...conf[i]));
  }
  await session.release();
  // CSV decimals round-trip float32, so the columns equal the model's values.
  assert.ok(maxDiff < 1e-7, `max |conf - model| = ${maxDiff}`);
  // A second softmax would squeeze every row towards 1/10 and miss by far more than that.
  let resoftmaxDiff = 0;
  for (const row of conf) {
    const twice = new Float32Array(row.length);
    softmaxRows(Float32Array.from(row), 1, row.length, twice);
    row.forEach((p, c) => (resoftmaxDiff = Math.max(resoftmaxDiff, Math.abs(p - twice[c]))));
  }
  assert.ok(resoftmaxDiff > 0.05, `softmax of the probabilities moves them by ${resoftmaxDiff}`);
});

test('a channels-last model on real images gives the same probabilities and features as its NCHW twin', async () => {
  const data = photoFolder();
  const a = await classify('channels-last', data, ...PHOTO_PREPROCESS);
  const b = await classify('channels-first', data, ...PHOTO_PREPROCESS);
  const [nhwc, nchw] = [a.out, b.out];
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(runJson(nhwc).options.layout, 'nhwc');
  assert.equal(runJson(nchw).options.layout, 'nchw');
  const pa = readPredictions(nhwc);
  const pb = readPredictions(nchw);
  assert.deepEqual(
    pa.rows.map((r) => r.path),
    pb.rows.map((r) => r.path),
  );
  assert.equal(pa.conf.length, readdirSync(IMAGES).length);
  pa.conf.forEach((row, i) =>
    row.forEach((p, c) => assert.ok(Math.abs(p - pb.conf[i][c]) < 1e-6, `${i},${c}`)),
  );
  const fa = decodeNpyMatrix(readFileSync(join(nhwc, 'features.npy')));
  const fb = decodeNpyMatrix(readFileSync(join(nchw, 'features.npy')));
  assert.equal(fa.cols, 32);
  fa.data.forEach((v, i) => assert.ok(Math.abs(v - fb.data[i]) < 1e-5, `feature ${i}`));
});

/** [N, ?, ?, ?] input -> Flatten -> ReduceMean -> Gemm: runs in either layout, so the shape cannot tell. */
function openLayoutModel(): string {
  const p = join(dir, 'open-layout.onnx');
  writeFileSync(
    p,
    new OnnxBuilder()
      .input('image', ['N', 'a', 'b', 'c'])
      .output('logits', ['N', 2])
      .init('fc.weight', [2, 1], Float32Array.from([1, -1]))
      .node('Flatten', ['image'], ['flat'], '/Flatten', [{ name: 'axis', i: 1 }])
      .node('ReduceMean', ['flat'], ['mean'], '/pool/ReduceMean', [{ name: 'axes', ints: [1] }])
      .node('Gemm', ['mean', 'fc.weight'], ['logits'], '/fc/Gemm', [{ name: 'transB', i: 1 }])
      .build(),
  );
  return p;
}

test('an input shape that leaves the layout open: NCHW assumed with a recorded warning, or --layout', async () => {
  const model = openLayoutModel();
  const flags = ['--preset', 'grayscale', '--top-k', '1'];
  const a = await classify(model, fashion, ...flags);
  const assumed = a.out;
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stderr, /does not tell channels-first from channels-last images; featscope assumes NCHW/);
  const m = runJson(assumed);
  assert.equal(m.options.layout, 'nchw');
  assert.ok(m.warnings.some((w) => /assumes NCHW/.test(w)));
  const b = await classify(model, fashion, ...flags, '--layout', 'nhwc');
  const chosen = b.out;
  assert.equal(b.code, 0, b.stderr);
  assert.doesNotMatch(b.stderr, /assumes NCHW/);
  const n = runJson(chosen);
  assert.equal(n.options.layout, 'nhwc');
  assert.ok(!n.warnings.some((w) => /assumes NCHW/.test(w)));
});

test('--layout with a bad value is a usage error (exit 2); one that contradicts the shape is exit 1', async () => {
  const bad = await classify('channels-last', fashion, '--layout', 'hwc');
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--layout must be one of auto, nchw, nhwc \(got "hwc"\)/);
  assert.ok(!hasStackTrace(bad.stderr), bad.stderr);
  assert.ok(!existsSync(bad.out) || readdirSync(bad.out).length === 0);
  const contradicts = await classify('channels-last', fashion, '--layout', 'nchw');
  assertCleanFailure(
    contradicts,
    /--layout nchw contradicts .*channels-last\.onnx's input shape \[batch, 16, 16, 3\], which is channels last, NHWC/,
  );
});
