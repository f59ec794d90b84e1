/**
 * Opening an ONNX model for featscope: validation with clear errors, feature-layer resolution, graph
 * surgery so that one forward pass returns logits and features, and batched inference.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { exposeOutputs } from './expose-outputs.js';
import { closestLayerNames, defaultFeatureTensor, type ResolvedLayer, resolveLayerName } from './layers.js';
import { type Dim, type OnnxModelInfo, parseOnnxModel } from './onnx-model.js';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface ModelOptions {
  /** Module path (`classifier.4`), ONNX tensor or node name; null = input of the final classifier layer. */
  layer: string | null;
  /** Intra-op threads for ONNX Runtime; 'auto' = all cores. */
  threads: number | 'auto';
  executionProvider: ExecutionProvider;
}

export const MODEL_DEFAULTS: Readonly<ModelOptions> = Object.freeze({
  layer: null,
  threads: 'auto',
  executionProvider: 'cpu',
});

export interface ModelInput {
  name: string;
  shape: Dim[];
  /** Fixed batch size, or null when the batch axis is dynamic. */
  fixedBatch: number | null;
  channels: number | null;
  height: number | null;
  width: number | null;
}

/** Reads and checks a model file without starting a session. */
export async function readModelFile(
  path: string,
): Promise<{ bytes: Uint8Array; info: OnnxModelInfo; sha256: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UserError(
      `Cannot read the model file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Check the --model path.`,
    );
  }
  let info: OnnxModelInfo;
  try {
    info = parseOnnxModel(bytes);
  } catch {
    throw new UserError(
      `${path} is not an ONNX model (its bytes do not parse as an ONNX ModelProto). Export your network with ` +
        'torch.onnx.export (see examples/fashion-mnist/train.py) or tf2onnx, and pass the .onnx file to --model.',
    );
  }
  if (info.usesExternalData) {
    throw new UserError(
      `${path} keeps its weights in external data files, which featscope does not load. Re-export it as a single file ` +
        '(models under 2 GB: torch.onnx.export without external data; or onnx.save(model, path, save_as_external_data=False)).',
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes, info, sha256 };
}

/** The model's single image input, checked. */
/** Names of ONNX TensorProto.DataType values (onnx/onnx.proto), for messages about a model's input. */
const ONNX_TYPE_NAMES: Record<number, string> = {
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

export function describeInput(info: OnnxModelInfo, path: string): ModelInput {
  if (info.inputs.length !== 1) {
    throw new UserError(
      `${path} has ${info.inputs.length} inputs (${info.inputs.map((i) => i.name).join(', ') || 'none'}); featscope feeds ` +
        'one image batch [N, C, H, W]. Export the classifier with a single image input.',
    );
  }
  const inp = info.inputs[0];
  const shape = inp.shape;
  if (inp.elemType !== 1 || !shape || shape.length !== 4) {
    throw new UserError(
      `${path}'s input "${inp.name}" is ${ONNX_TYPE_NAMES[inp.elemType] ?? `of ONNX type ${inp.elemType}`} with shape ` +
        `${shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : 'unknown'}; featscope needs a float32 image batch [N, C, H, W] ` +
        '(channels first, as PyTorch exports). Export the model with an NCHW float input.',
    );
  }
  const num = (d: Dim) => (typeof d === 'number' && d > 0 ? d : null);
  const channels = num(shape[1]);
  if (channels !== null && channels !== 1 && channels !== 3) {
    throw new UserError(
      `${path}'s input "${inp.name}" has ${channels} channels; featscope feeds 1 (grayscale) or 3 (RGB) channel images.`,
    );
  }
  return {
    name: inp.name,
    shape,
    fixedBatch: num(shape[0]),
    channels,
    height: num(shape[2]),
    width: num(shape[3]),
  };
}

/** Resolves `--layer` (or the default) to a tensor name, with "did you mean" errors. */
export function resolveFeatureLayer(info: OnnxModelInfo, layer: string | null, path: string): ResolvedLayer {
  const logits = info.outputs[0]?.name;
  if (!logits)
    throw new UserError(`${path} has no graph outputs; export the model with its logits as output.`);
  if (layer === null) {
    const t = defaultFeatureTensor(info, logits);
    if (!t) {
      throw new UserError(
        `Cannot find the final classification layer of ${path} (its output "${logits}" is not produced by a Gemm, ` +
          'MatMul or Conv layer). Name the feature layer with --layer; `featscope layers --model ' +
          path +
          '` lists them.',
      );
    }
    const r = resolveLayerName(info, t);
    return { tensor: t, matchedAs: 'default', modulePath: r?.modulePath ?? null };
  }
  const r = resolveLayerName(info, layer);
  if (!r) {
    const near = closestLayerNames(info, layer);
    throw new UserError(
      `The model ${path} has no layer "${layer}". Closest names: ${near.join(', ')}. Run \`featscope layers --model ${path}\` ` +
        'to list every feature layer (PyTorch module paths such as classifier.4, or ONNX tensor names).',
    );
  }
  return r;
}

export interface InferenceResult {
  /** b x numClasses logits. */
  logits: Float32Array;
  numClasses: number;
  /** b x featureDim features (inner tensors flattened per image, as torch.flatten(x, 1)). */
  features: Float32Array;
  featureDim: number;
}

export class ModelRunner {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly input: ModelInput,
    readonly logitsName: string,
    readonly featureTensor: string,
    readonly threads: number,
    readonly executionProvider: ExecutionProvider,
  ) {}

  /** Creates the session over model bytes with `extraOutputs` exposed. */
  static async create(
    bytes: Uint8Array,
    info: OnnxModelInfo,
    path: string,
    featureTensor: string,
    options: ModelOptions,
  ): Promise<ModelRunner> {
    const input = describeInput(info, path);
    const logitsName = info.outputs[0].name;
    const outputs = new Set(info.outputs.map((o) => o.name));
    const extra = featureTensor !== input.name && !outputs.has(featureTensor) ? [featureTensor] : [];
    const threads = options.threads === 'auto' ? availableParallelism() : options.threads;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(exposeOutputs(bytes, extra), {
        executionProviders: [options.executionProvider],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      if (options.executionProvider === 'cuda') {
        throw new UserError(
          `ONNX Runtime could not start the CUDA execution provider (${msg}). The bundled onnxruntime-node build is CPU-only ` +
            '(.npmrc sets onnxruntime-node-install=skip); install the CUDA build of onnxruntime-node on a machine with CUDA 12, ' +
            'or drop --execution-provider cuda.',
        );
      }
      throw new UserError(
        `ONNX Runtime cannot load ${path}: ${msg}. Check that the file is a complete, valid ONNX export.`,
      );
    }
    return new ModelRunner(session, input, logitsName, featureTensor, threads, options.executionProvider);
  }

  /** Runs one batch of `b` preprocessed images (NCHW float32). */
  async run(batch: Float32Array, b: number, c: number, h: number, w: number): Promise<InferenceResult> {
    const feeds = { [this.input.name]: new ort.Tensor('float32', batch, [b, c, h, w]) };
    const fetches =
      this.featureTensor === this.input.name
        ? [this.logitsName]
        : [...new Set([this.logitsName, this.featureTensor])];
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(feeds, fetches);
    } catch (e) {
      throw new UserError(
        `The model failed on a batch of ${b} images of ${c}x${h}x${w}: ${(e as Error).message.split('\n')[0]}. ` +
          'Check that the preprocessing (--preset, --resize, --crop, --channels) produces the input size the model was trained on.',
      );
    }
    const logitsT = out[this.logitsName];
    if (logitsT.dims.length !== 2 || logitsT.dims[0] !== b) {
      throw new UserError(
        `The model's output "${this.logitsName}" has shape [${logitsT.dims.join(', ')}]; featscope needs class scores [N, classes] ` +
          'as the first output. Export the classifier with its logits as the first output.',
      );
    }
    const featT = this.featureTensor === this.input.name ? feeds[this.input.name] : out[this.featureTensor];
    if (featT.type !== 'float32') {
      throw new UserError(
        `The feature layer "${this.featureTensor}" holds ${featT.type} values, not float32; pick another --layer.`,
      );
    }
    const featureDim = featT.dims.slice(1).reduce((a, d) => a * Number(d), 1);
    return {
      logits: logitsT.data as Float32Array,
      numClasses: Number(logitsT.dims[1]),
      features: featT.data as Float32Array,
      featureDim,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
