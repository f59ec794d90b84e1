/**
 * The classification output: which graph output (`--output`, default the first) and what it holds.
 * Exporters leave a model's head in the graph: a final `Softmax` means the output already holds
 * probabilities, `LogSoftmax` log-probabilities, a linear layer logits. featscope turns each into the
 * probabilities the model means (softmax.ts), so that confidences equal the model's own.
 */
import { UserError } from '../errors.js';
import type { OnnxModelInfo, OnnxNode } from './onnx-model.js';

export type OutputKind = 'logits' | 'probabilities' | 'log-probabilities';

export interface ClassificationOutput {
  /** Graph output name. */
  name: string;
  /** What the output holds according to the graph; null when the graph cannot tell (see guessKindFromValues). */
  kind: OutputKind | null;
  /** Op of the node that computes the output's values (after pass-through ops); null for a graph input. */
  producer: string | null;
}

/** Ops that move or relabel values without changing them (Dropout is the identity at inference). */
const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Cast', 'Dropout']);
/** Ops that follow a 1x1-conv classifier (SqueezeNet: Conv, ReLU, global average pooling): scores stay logits. */
const AFTER_CONV_CLASSIFIER = new Set(['Relu', 'GlobalAveragePool', 'AveragePool', 'ReduceMean']);
/** Ops whose output is a linear classifier's scores. */
const LINEAR = new Set(['Gemm', 'MatMul', 'Add', 'Conv', 'BatchNormalization']);

/**
 * The node that computes `tensor`'s values, looking through pass-through ops, and through the ReLU and
 * pooling of a conv classifier when a linear layer comes before them (null when it does not).
 */
function valueProducer(info: OnnxModelInfo, tensor: string): OnnxNode | null {
  const producer = new Map<string, OnnxNode>();
  for (const n of info.nodes) for (const o of n.outputs) producer.set(o, n);
  let name = tensor;
  let first: OnnxNode | null = null; // the first op that is not a pass-through
  for (let hops = 0; hops < 16; hops++) {
    const node = producer.get(name);
    if (!node) return first;
    if (!PASS_THROUGH.has(node.opType)) {
      first ??= node;
      if (!AFTER_CONV_CLASSIFIER.has(node.opType)) return LINEAR.has(node.opType) ? node : first;
    }
    name = node.inputs[0];
  }
  return first;
}

/** Resolves `--output` (null = the first graph output) and reads what it holds from the graph. */
export function resolveClassificationOutput(
  info: OnnxModelInfo,
  requested: string | null,
  path: string,
): ClassificationOutput {
  if (info.outputs.length === 0)
    throw new UserError(`${path} has no graph outputs; export the model with its logits as output.`);
  const names = info.outputs.map((o) => o.name);
  const name = requested ?? names[0];
  if (!names.includes(name)) {
    throw new UserError(
      `${path} has no output "${name}"; its outputs are ${names.map((n) => `"${n}"`).join(', ')}. ` +
        'Pass one of them to --output (the classification scores, shape [N, classes]).',
    );
  }
  const node = valueProducer(info, name);
  const op = node?.opType ?? null;
  let kind: OutputKind | null = null;
  if (op === 'Softmax') kind = 'probabilities';
  else if (op === 'LogSoftmax') kind = 'log-probabilities';
  else if (op !== null && LINEAR.has(op)) kind = 'logits';
  return { name, kind, producer: op };
}

/** Largest deviation of a row sum from 1 that still reads as a probability distribution (float32 sums of ~1000 terms). */
const SUM_TOLERANCE = 1e-3;

/**
 * What `rows` x `cols` scores hold, judged from their values when the graph cannot tell: rows of values in
 * [0, 1] that sum to 1 are probabilities, rows of values <= 0 whose exponentials sum to 1 are
 * log-probabilities, anything else logits.
 */
export function guessKindFromValues(scores: Float32Array, rows: number, cols: number): OutputKind {
  let probabilities = true;
  let logProbabilities = true;
  for (let r = 0; r < rows && (probabilities || logProbabilities); r++) {
    let sum = 0;
    let expSum = 0;
    for (let c = 0; c < cols; c++) {
      const v = scores[r * cols + c];
      if (!(v >= 0 && v <= 1)) probabilities = false;
      if (!(v <= 0)) logProbabilities = false;
      sum += v;
      expSum += Math.exp(v);
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) probabilities = false;
    if (!(Math.abs(expSum - 1) <= SUM_TOLERANCE)) logProbabilities = false;
  }
  if (probabilities) return 'probabilities';
  if (logProbabilities) return 'log-probabilities';
  return 'logits';
}

const TREATMENT: Record<OutputKind, string> = {
  logits: 'soft-maxes them',
  probabilities: 'uses them as they are',
  'log-probabilities': 'exponentiates them',
};

/** The warning that goes with a kind guessed from values. */
export function guessedKindWarning(output: ClassificationOutput, kind: OutputKind): string {
  const source = output.producer ? `a ${output.producer} node` : 'the graph input';
  return (
    `the output "${output.name}" is computed by ${source}, not by a Softmax, LogSoftmax or linear layer, so the graph does not ` +
    `say whether it holds logits or probabilities; its values on the first batch look like ${kind}, so featscope ` +
    `${TREATMENT[kind]}. Check the conf_ columns against your model's own probabilities.`
  );
}
