/**
 * Element types and shapes of candidate feature tensors. Types come from ONNX Runtime's inference over
 * the graph with every candidate exposed as an untyped output (expose-outputs.ts); shapes from one
 * forward pass of a zero image (exporters rarely record inner shapes, and shape inference is not always
 * possible).
 */
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { exposeOutputs } from './expose-outputs.js';
import type { OnnxModelInfo } from './onnx-model.js';
import type { ModelInput } from './session.js';
import { sessionOutputTypes } from './tensor-types.js';

export interface TensorProbe {
  /** ONNX Runtime's element type of each probed tensor (null when it does not say); empty when the exposed graph did not load. */
  types: Map<string, string | null>;
  /** Shape of each tensor on the zero image; empty when the pass failed. */
  shapes: Map<string, number[]>;
  /** Why types or shapes are missing (one sentence), or null. */
  problem: string | null;
}

const firstLine = (e: unknown) => ((e as Error).message ?? String(e)).split('\n')[0];

export async function probeTensors(
  bytes: Uint8Array,
  info: OnnxModelInfo,
  input: ModelInput,
  tensors: string[],
  size: { channels: number; height: number; width: number },
  path: string,
): Promise<TensorProbe> {
  const graphOutputs = new Set(info.outputs.map((o) => o.name));
  const extra = tensors.filter((t) => !graphOutputs.has(t) && t !== input.name);
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'basic',
  };
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(exposeOutputs(bytes, extra), options);
  } catch (exposedError) {
    // The model as exported must load; only the exposed inner tensors may trouble ONNX Runtime.
    try {
      await (await ort.InferenceSession.create(bytes, options)).release();
    } catch (e) {
      throw new UserError(
        `ONNX Runtime cannot load ${path}: ${firstLine(e)}. Check that the file is a complete, valid ONNX export.`,
      );
    }
    return {
      types: new Map(),
      shapes: new Map(),
      problem: `ONNX Runtime cannot expose the inner tensors (${firstLine(exposedError)}), so their types and shapes are unknown`,
    };
  }
  try {
    const types = sessionOutputTypes(session);
    types.set(input.name, 'float32');
    const b = input.fixedBatch ?? 1;
    const { channels: c, height: h, width: w } = size;
    const dims = input.layout === 'nhwc' ? [b, h, w, c] : [b, c, h, w];
    const shapes = new Map<string, number[]>();
    try {
      const out = await session.run({
        [input.name]: new ort.Tensor('float32', new Float32Array(b * c * h * w), dims),
      });
      for (const [name, t] of Object.entries(out)) shapes.set(name, t.dims.map(Number));
      shapes.set(input.name, dims);
    } catch (e) {
      return {
        types,
        shapes,
        problem: `a ${c}x${h}x${w} zero image does not run through the model (${firstLine(e)}), so shapes are unknown; pass --resize and --crop with the input size the model takes`,
      };
    }
    return { types, shapes, problem: null };
  } finally {
    await session.release();
  }
}
