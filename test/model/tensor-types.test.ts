import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { UserError } from '../../src/errors.js';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import { ModelRunner, resolveFeatureLayer } from '../../src/model/session.js';
import { tensorToFloat32 } from '../../src/model/tensor-types.js';
import { OnnxBuilder, seededFloats } from '../helpers/onnx-builder.js';

/**
 * x [N, 1, 2, 2] float32 -> Cast float16 (`h16`) -> Cast float64 (`h64`) -> Cast float32 -> Flatten -> Gemm -> logits,
 * plus Shape(x) (`shape`, int64) and Greater(x, 0) (`mask`, bool) on the side.
 */
function mixedModel(): Uint8Array {
  return new OnnxBuilder()
    .input('input', ['N', 1, 2, 2])
    .output('logits', ['N', 3])
    .init('fc.weight', [3, 4], seededFloats(12, 5))
    .init('zero', [], new Float32Array([0]))
    .node('Cast', ['input'], ['h16'], '/half/Cast', [{ name: 'to', i: 10 }])
    .node('Cast', ['h16'], ['h64'], '/double/Cast', [{ name: 'to', i: 11 }])
    .node('Cast', ['h64'], ['h32'], '/single/Cast', [{ name: 'to', i: 1 }])
    .node('Flatten', ['h32'], ['flat'], '/Flatten', [{ name: 'axis', i: 1 }])
    .node('Gemm', ['flat', 'fc.weight'], ['logits'], '/fc/Gemm', [{ name: 'transB', i: 1 }])
    .node('Shape', ['input'], ['shape'], '/Shape')
    .node('Greater', ['input', 'zero'], ['mask'], '/Greater')
    .build();
}

const OPTS = { threads: 1 };
const x = Float32Array.from([0.1, -2.7, 1 / 3, 65504]);

test('float16 and float64 feature tensors come back as float32', async () => {
  const bytes = mixedModel();
  const info = parseOnnxModel(bytes);
  for (const tensor of ['h16', 'h64']) {
    const runner = await ModelRunner.create(bytes, info, 'm.onnx', tensor, OPTS);
    const r = await runner.run(x, 1, 1, 2, 2);
    await runner.release();
    assert.ok(r.features instanceof Float32Array);
    assert.equal(r.featureDim, 4);
    // float16 rounding: 0.1 -> 0.0999755859375, 1/3 -> 0.333251953125; 65504 is float16's largest finite value.
    assert.deepEqual([...r.features], [0.0999755859375, -2.69921875, 0.333251953125, 65504]);
  }
});

test('tensorToFloat32 widens float16 bits and rounds float64', () => {
  const half = new ort.Tensor('float16', Uint16Array.from([0x3c00, 0xc000, 0x0001, 0x7c00]), [4]);
  assert.deepEqual([...tensorToFloat32(half)], [1, -2, 2 ** -24, Number.POSITIVE_INFINITY]);
  const double = new ort.Tensor('float64', Float64Array.from([0.1, 1e-50]), [2]);
  assert.deepEqual([...tensorToFloat32(double)], [Math.fround(0.1), 0]);
  assert.throws(
    () => tensorToFloat32(new ort.Tensor('int64', BigInt64Array.from([1n]), [1])),
    /not a float type/,
  );
});

test('a --layer that holds int64 or bool values is a user error that names its type', async () => {
  const bytes = mixedModel();
  const info = parseOnnxModel(bytes);
  for (const [name, type] of [
    ['shape', 'int64'],
    ['mask', 'bool'],
  ]) {
    const layer = resolveFeatureLayer(info, name, 'm.onnx');
    await assert.rejects(
      ModelRunner.create(bytes, info, 'm.onnx', layer.tensor, OPTS),
      (e: Error) =>
        e instanceof UserError &&
        new RegExp(
          `The layer "${name}" of m\\.onnx holds ${type} values .*featscope layers --model m\\.onnx`,
        ).test(e.message),
    );
  }
});

test('an --output that holds class ids (int64) is a user error that lists the outputs', async () => {
  const bytes = new OnnxBuilder()
    .input('input', ['N', 1, 2, 2])
    .output('logits', ['N', 4])
    .output('pred', ['N'], 7)
    .node('Flatten', ['input'], ['logits'], '/Flatten', [{ name: 'axis', i: 1 }])
    .node('ArgMax', ['logits'], ['pred'], '/ArgMax', [{ name: 'axis', i: 1 }])
    .build();
  const info = parseOnnxModel(bytes);
  await assert.rejects(
    ModelRunner.create(bytes, info, 'm.onnx', 'input', { ...OPTS, output: 'pred' }),
    (e: Error) =>
      e instanceof UserError &&
      /The output "pred" of m\.onnx holds int64 values \(class ids\?\).*outputs are logits, pred\./.test(
        e.message,
      ),
  );
});
