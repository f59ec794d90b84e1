import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { layoutFromShape, nchwToNhwc, resolveLayout } from '../../src/model/input-layout.js';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import { describeInput } from '../../src/model/session.js';
import { OnnxBuilder } from '../helpers/onnx-builder.js';

test('the layout is read from the input shape where it tells', () => {
  const cases: [(number | string | null)[], string][] = [
    [['N', 3, 224, 224], 'nchw'],
    [['N', 1, 28, 28], 'nchw'],
    [['N', 3, null, null], 'nchw'],
    [['N', 224, 224, 3], 'nhwc'], // tf2onnx Keras export
    [['unk__618', null, null, 3], 'nhwc'],
    [['N', 28, 28, 1], 'nhwc'],
    [['N', null, 224, 224], 'nchw'], // dynamic channel count, fixed sides
    [['N', 224, 224, null], 'nhwc'],
    [['N', 4, 32, 32], 'nchw'], // 4 channels (refused later)
    [['N', 32, 32, 4], 'nhwc'],
    [['N', null, null, null], 'open'],
    [['N', 'c', 'h', 'w'], 'open'],
    [['N', 3, 5, 3], 'open'],
    [['N', 1, 28, 1], 'open'],
  ];
  for (const [shape, want] of cases) assert.equal(layoutFromShape(shape), want, JSON.stringify(shape));
});

test('--layout decides an open shape, contradicts a clear one with an error, and auto assumes NCHW with a warning', () => {
  const open = ['N', null, null, null];
  assert.deepEqual(resolveLayout(open, 'nhwc', 'm.onnx'), {
    layout: 'nhwc',
    source: 'option',
    warning: null,
  });
  assert.deepEqual(resolveLayout(open, 'nchw', 'm.onnx'), {
    layout: 'nchw',
    source: 'option',
    warning: null,
  });
  const assumed = resolveLayout(open, 'auto', 'm.onnx');
  assert.equal(assumed.layout, 'nchw');
  assert.equal(assumed.source, 'assumed');
  assert.match(
    assumed.warning!,
    /\[N, \?, \?, \?\] of m\.onnx does not tell .* assumes NCHW .* --layout nhwc/,
  );
  assert.deepEqual(resolveLayout(['N', 224, 224, 3], 'auto', 'm.onnx'), {
    layout: 'nhwc',
    source: 'shape',
    warning: null,
  });
  assert.deepEqual(resolveLayout(['N', 224, 224, 3], 'nhwc', 'm.onnx').layout, 'nhwc');
  assert.throws(
    () => resolveLayout(['N', 3, 224, 224], 'nhwc', 'm.onnx'),
    (e: Error) =>
      e instanceof UserError &&
      /--layout nhwc contradicts m\.onnx's input shape \[N, 3, 224, 224\], which is channels first/.test(
        e.message,
      ),
  );
});

test('describeInput reads channels and sides at the layout positions and refuses other channel counts', () => {
  const model = (shape: (number | string)[]) =>
    parseOnnxModel(new OnnxBuilder().input('x', shape).output('y').node('Relu', ['x'], ['y'], 'r').build());
  const nhwc = describeInput(model(['N', 64, 48, 3]), 'k.onnx');
  assert.deepEqual([nhwc.layout, nhwc.channels, nhwc.height, nhwc.width], ['nhwc', 3, 64, 48]);
  const nchw = describeInput(model(['N', 1, 28, 20]), 'k.onnx');
  assert.deepEqual([nchw.layout, nchw.channels, nchw.height, nchw.width], ['nchw', 1, 28, 20]);
  const open = describeInput(model(['N', 'c', 'h', 'w']), 'k.onnx', 'nhwc');
  assert.deepEqual([open.layout, open.layoutSource, open.layoutWarning], ['nhwc', 'option', null]);
  assert.equal(describeInput(model(['N', 'c', 'h', 'w']), 'k.onnx').layoutSource, 'assumed');
  assert.throws(
    () => describeInput(model(['N', 32, 32, 4]), 'k.onnx'),
    /has 4 channels \(channels last, NHWC\)/,
  );
});

test('nchwToNhwc moves every value to its channels-last position', () => {
  const [b, c, h, w] = [2, 3, 4, 5];
  const src = Float32Array.from({ length: b * c * h * w }, (_, i) => i);
  const out = new Float32Array(src.length).fill(-1);
  nchwToNhwc(src, b, c, h, w, out);
  for (let i = 0; i < b; i++)
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          assert.equal(out[((i * h + y) * w + x) * c + k], src[((i * c + k) * h + y) * w + x]);
  // A single channel is a plain copy.
  const one = new Float32Array(2 * 6);
  nchwToNhwc(src.subarray(0, 12), 2, 1, 2, 3, one);
  assert.deepEqual([...one], [...src.subarray(0, 12)]);
});
