import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import { describeInput, ModelRunner, readModelFile, resolveFeatureLayer } from '../../src/model/session.js';
import { OnnxBuilder, tinyCnn } from '../helpers/onnx-builder.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const OPTS = { layer: null, threads: 1, executionProvider: 'cpu' as const };

interface Sample {
  input: number[];
  f: number[];
  g: number[];
  logits: number[];
}

test('one forward pass yields logits and create_feature_extractor features equal to PyTorch (1e-4)', async () => {
  const path = join(FIX, 'tiny-vgg.onnx');
  const { bytes, info } = await readModelFile(path);
  const ref = JSON.parse(readFileSync(join(FIX, 'tiny-vgg.json'), 'utf8')) as { samples: Sample[] };
  for (const [layer, key] of [
    ['classifier.1', 'f'],
    ['features.3', 'g'],
  ] as const) {
    const resolved = resolveFeatureLayer(info, layer, path);
    const runner = await ModelRunner.create(bytes, info, path, resolved.tensor, OPTS);
    const batch = new Float32Array(ref.samples.flatMap((s) => s.input));
    const r = await runner.run(batch, ref.samples.length, 3, 32, 32);
    await runner.release();
    assert.equal(r.numClasses, 10);
    assert.equal(r.featureDim, ref.samples[0][key].length);
    ref.samples.forEach((s, i) => {
      s.logits.forEach((v, j) => assert.ok(Math.abs(r.scores[i * 10 + j] - v) < 1e-4, `logit ${i},${j}`));
      s[key].forEach((v, j) =>
        assert.ok(Math.abs(r.features[i * r.featureDim + j] - v) < 1e-4, `${layer} ${i},${j}`),
      );
    });
  }
});

test('the default feature tensor is exactly the input of the final layer', async () => {
  const { bytes, fcW, fcB } = tinyCnn({ classes: 3, hidden: 6, seed: 7 });
  const info = parseOnnxModel(bytes);
  const layer = resolveFeatureLayer(info, null, 'tiny');
  assert.equal(layer.modulePath, 'classifier.1');
  const runner = await ModelRunner.create(bytes, info, 'tiny', layer.tensor, OPTS);
  const x = new Float32Array(4 * 64).map((_, i) => Math.sin(i));
  const r = await runner.run(x, 4, 1, 8, 8);
  await runner.release();
  for (let i = 0; i < 4; i++) {
    for (let c = 0; c < 3; c++) {
      let z = fcB[c];
      for (let h = 0; h < 6; h++) z += fcW[c * 6 + h] * r.features[i * 6 + h];
      assert.ok(Math.abs(z - r.scores[i * 3 + c]) < 1e-5);
    }
  }
});

test('bad models get clear user errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-model-'));
  const notOnnx = join(dir, 'x.onnx');
  writeFileSync(notOnnx, 'this is text, not a model');
  await assert.rejects(
    readModelFile(notOnnx),
    (e: Error) => e instanceof UserError && /not an ONNX model/.test(e.message),
  );
  await assert.rejects(
    readModelFile(join(dir, 'missing.onnx')),
    (e: Error) => e instanceof UserError && /ENOENT/.test(e.message),
  );

  const twoInputs = new OnnxBuilder()
    .input('a', ['n', 3, 4, 4])
    .input('b', ['n', 3, 4, 4])
    .output('y')
    .node('Add', ['a', 'b'], ['y'], 'add')
    .build();
  assert.throws(() => describeInput(parseOnnxModel(twoInputs), 'm.onnx'), /has 2 inputs \(a, b\)/);
  const vectorInput = new OnnxBuilder()
    .input('x', ['n', 10])
    .output('y')
    .node('Relu', ['x'], ['y'], 'r')
    .build();
  assert.throws(() => describeInput(parseOnnxModel(vectorInput), 'm.onnx'), /\[N, C, H, W\]/);
  const info = parseOnnxModel(tinyCnn().bytes);
  assert.throws(
    () => resolveFeatureLayer(info, 'classifier.7', 'm.onnx'),
    /Closest names: classifier\.[0-2]/,
  );
});

test('fixed-batch models are described as such', () => {
  const input = describeInput(parseOnnxModel(tinyCnn({ batch: 1 }).bytes), 'm');
  assert.equal(input.fixedBatch, 1);
  assert.equal(input.channels, 1);
  assert.equal(input.height, 8);
});
