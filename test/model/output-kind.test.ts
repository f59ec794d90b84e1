import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import {
  guessedKindWarning,
  guessKindFromValues,
  resolveClassificationOutput,
} from '../../src/model/output-kind.js';
import { scoresToProbabilities, softmaxRows } from '../../src/model/softmax.js';
import { OnnxBuilder, seededFloats } from '../helpers/onnx-builder.js';

/** x [N, 4] -> Gemm -> `head` ops in order -> y; the last op writes `y`. */
function headModel(head: string[]): ReturnType<typeof parseOnnxModel> {
  const b = new OnnxBuilder()
    .input('x', ['N', 4])
    .output('y', ['N', 3])
    .output('aux', ['N', 3])
    .init('w', [3, 4], seededFloats(12, 1))
    .node('Gemm', ['x', 'w'], ['z0'], '/fc/Gemm', [{ name: 'transB', i: 1 }])
    .node('Relu', ['z0'], ['aux'], '/aux/Relu');
  head.forEach((op, i) => {
    b.node(op, [`z${i}`], [i === head.length - 1 ? 'y' : `z${i + 1}`], `/head/${op}_${i}`);
  });
  return parseOnnxModel(b.build());
}

test('the graph tells logits, probabilities and log-probabilities, through pass-through ops', () => {
  const kind = (head: string[]) => resolveClassificationOutput(headModel(head), null, 'm').kind;
  assert.equal(kind(['Identity']), 'logits');
  assert.equal(kind(['Softmax']), 'probabilities');
  assert.equal(kind(['Softmax', 'Identity']), 'probabilities');
  assert.equal(kind(['Softmax', 'Flatten', 'Identity']), 'probabilities');
  assert.equal(kind(['LogSoftmax']), 'log-probabilities');
  assert.equal(kind(['LogSoftmax', 'Identity']), 'log-probabilities');
  assert.equal(kind(['Relu', 'GlobalAveragePool', 'Flatten']), 'logits');
  assert.deepEqual(resolveClassificationOutput(headModel(['Sigmoid', 'Relu']), null, 'm').producer, 'Relu');
  const sigmoid = resolveClassificationOutput(headModel(['Sigmoid']), null, 'm');
  assert.deepEqual(sigmoid, { name: 'y', kind: null, producer: 'Sigmoid' });
  assert.match(guessedKindWarning(sigmoid, 'logits'), /"y" is computed by a Sigmoid node.*soft-maxes them/);
});

test('--output picks a graph output; an unknown one is an error listing them', () => {
  const info = headModel(['Softmax']);
  assert.equal(resolveClassificationOutput(info, 'aux', 'm').name, 'aux');
  // A ReLU (or global pooling) after the linear layer leaves logits, as SqueezeNet's conv classifier does.
  assert.deepEqual(resolveClassificationOutput(info, 'aux', 'm'), {
    name: 'aux',
    kind: 'logits',
    producer: 'Gemm',
  });
  assert.throws(
    () => resolveClassificationOutput(info, 'logits', 'm.onnx'),
    /m\.onnx has no output "logits"; its outputs are "y", "aux". Pass one of them to --output/,
  );
});

test('kinds guessed from values: probability rows, log-probability rows, anything else logits', () => {
  const logits = seededFloats(4 * 5, 3, 4);
  const probs = new Float32Array(20);
  softmaxRows(logits, 4, 5, probs);
  const logProbs = probs.map(Math.log);
  assert.equal(guessKindFromValues(probs, 4, 5), 'probabilities');
  assert.equal(guessKindFromValues(logProbs, 4, 5), 'log-probabilities');
  assert.equal(guessKindFromValues(logits, 4, 5), 'logits');
  // Sigmoid outputs lie in [0, 1] but do not sum to 1.
  assert.equal(
    guessKindFromValues(
      probs.map((p) => 1 / (1 + Math.exp(-p))),
      4,
      5,
    ),
    'logits',
  );
});

test('scoresToProbabilities: probabilities as they are, exp of log-probabilities, softmax of logits', () => {
  const logits = seededFloats(3 * 4, 9, 3);
  const want = new Float32Array(12);
  softmaxRows(logits, 3, 4, want);
  for (const [kind, scores] of [
    ['logits', logits],
    ['probabilities', want],
    ['log-probabilities', want.map(Math.log)],
  ] as const) {
    const out = new Float32Array(16).fill(-1);
    scoresToProbabilities(kind, scores, 3, 4, out, 4);
    assert.deepEqual([...out.subarray(0, 4)], [-1, -1, -1, -1], 'writes from the offset on');
    out.subarray(4).forEach((p, i) => assert.ok(Math.abs(p - want[i]) < 1e-7, `${kind} ${i}`));
  }
});
