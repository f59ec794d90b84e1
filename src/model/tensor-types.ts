/** Element types of ONNX tensors: their names, which ones featscope takes as features, and the conversion to float32. */
import type * as ort from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { halfToFloat } from '../io/npy.js';

/** Names of ONNX TensorProto.DataType values (onnx/onnx.proto), for messages about a model's tensors. */
export const ONNX_TYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** ONNX Runtime tensor types that hold real-valued activations; features and scores of these types are converted to float32. */
const FLOAT_TYPES = new Set<string>(['float32', 'float16', 'float64']);

/** Whether an ONNX Runtime tensor type can be a feature (a float), as opposed to shape arithmetic, indices or masks. */
export function isFloatType(type: string): boolean {
  return FLOAT_TYPES.has(type);
}

/**
 * The tensor's values as float32: float32 as is (no copy), float64 rounded, float16 widened
 * (onnxruntime-node hands float16 tensors over as their raw IEEE 754 binary16 bits in a Uint16Array).
 */
export function tensorToFloat32(t: ort.Tensor): Float32Array {
  const data = t.data;
  if (t.type === 'float32') return data as Float32Array;
  if (t.type === 'float64') return Float32Array.from(data as Float64Array);
  if (t.type === 'float16') {
    if (data instanceof Uint16Array) {
      const out = new Float32Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = halfToFloat(data[i]);
      return out;
    }
    return Float32Array.from(data as ArrayLike<number>);
  }
  throw new Error(`tensorToFloat32: ${t.type} is not a float type`);
}

/** The element type of each output of a session, as ONNX Runtime inferred it (null for non-tensor outputs). */
export function sessionOutputTypes(session: ort.InferenceSession): Map<string, string | null> {
  const types = new Map<string, string | null>();
  for (const m of session.outputMetadata) types.set(m.name, m.isTensor ? m.type : null);
  return types;
}

/** Refuses a classification output or a feature layer that does not hold floats (shape arithmetic, indices, masks). */
export function assertFloatOutputs(
  types: Map<string, string | null>,
  scores: string,
  feature: string,
  path: string,
  graphOutputs: string[],
): void {
  const scoresType = types.get(scores);
  if (scoresType && !isFloatType(scoresType)) {
    throw new UserError(
      `The output "${scores}" of ${path} holds ${scoresType} values (class ids?), not class scores. Pass --output with the ` +
        `output that holds logits or probabilities; the model's outputs are ${graphOutputs.join(', ')}.`,
    );
  }
  const featureType = types.get(feature);
  if (featureType && !isFloatType(featureType)) {
    throw new UserError(
      `The layer "${feature}" of ${path} holds ${featureType} values (shape arithmetic, indices or masks), not features. ` +
        `Pick a float layer with --layer; \`featscope layers --model ${path}\` lists them.`,
    );
  }
}
