/**
 * Shapes of candidate feature tensors, found by one forward pass of a zero image with every candidate
 * exposed as an output (exporters rarely record inner shapes, and shape inference is not always possible).
 */
import * as ort from 'onnxruntime-node';
import { exposeOutputs } from './expose-outputs.js';
import type { OnnxModelInfo } from './onnx-model.js';
import type { ModelInput } from './session.js';

export async function probeTensorShapes(
  bytes: Uint8Array,
  info: OnnxModelInfo,
  input: ModelInput,
  tensors: string[],
  size: { channels: number; height: number; width: number },
): Promise<Map<string, number[]>> {
  const graphOutputs = new Set(info.outputs.map((o) => o.name));
  const extra = tensors.filter((t) => !graphOutputs.has(t) && t !== input.name);
  const session = await ort.InferenceSession.create(exposeOutputs(bytes, extra), {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'basic',
  });
  try {
    const b = input.fixedBatch ?? 1;
    const { channels: c, height: h, width: w } = size;
    const out = await session.run({
      [input.name]: new ort.Tensor('float32', new Float32Array(b * c * h * w), [b, c, h, w]),
    });
    const shapes = new Map<string, number[]>();
    for (const [name, t] of Object.entries(out)) shapes.set(name, t.dims.map(Number));
    shapes.set(input.name, [b, c, h, w]);
    return shapes;
  } finally {
    await session.release();
  }
}
