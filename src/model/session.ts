/**
 * Opening an ONNX model for featscope: validation with clear errors, feature-layer resolution, graph
 * surgery so that one forward pass returns logits and features, and batched inference.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { UserError } from '../errors.js';
import { assertCudaProviderInstalled, cudaStartError } from './cuda-provider.js';
import { exposeOutputs, modelBufferWithRoom } from './expose-outputs.js';
import {
  type InputLayout,
  type LayoutOption,
  layoutAxes,
  nchwToNhwc,
  resolveLayout,
} from './input-layout.js';
import { closestLayerNames, defaultFeatureTensor, type ResolvedLayer, resolveLayerName } from './layers.js';
import { type Dim, type OnnxModelInfo, parseOnnxModel } from './onnx-model.js';
import { type ClassificationOutput, resolveClassificationOutput } from './output-kind.js';
import {
  assertFloatOutputs,
  isFloatType,
  ONNX_TYPE_NAMES,
  sessionOutputTypes,
  tensorToFloat32,
} from './tensor-types.js';

export type ExecutionProvider = 'cpu' | 'cuda';

// Every failure of ONNX Runtime becomes one of our paragraphs, so its own log lines (printed
// before the exception reaches us) would only repeat it; FEATSCOPE_DEBUG=1 shows them.
if (!process.env.FEATSCOPE_DEBUG) ort.env.logLevel = 'fatal';

export interface ModelOptions {
  /** Module path (`classifier.4`), ONNX tensor or node name; null = input of the final classifier layer. */
  layer: string | null;
  /** Graph output that holds the class scores (of a model with several outputs); null (default) = the first output. */
  output?: string | null;
  /** Image layout of the model's input; 'auto' (default) = read from the input shape (NCHW, with a warning, when it cannot tell). */
  layout?: LayoutOption;
  /** Intra-op threads for ONNX Runtime; 'auto' = all cores. */
  threads: number | 'auto';
  executionProvider: ExecutionProvider;
}

export const MODEL_DEFAULTS: Readonly<Required<ModelOptions>> = Object.freeze({
  layer: null,
  output: null,
  layout: 'auto',
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
  layout: InputLayout;
  /** 'shape': read from the input shape; 'option': chosen by --layout; 'assumed': NCHW by default. */
  layoutSource: 'shape' | 'option' | 'assumed';
  /** The warning to record when the layout was assumed; null otherwise. */
  layoutWarning: string | null;
}

/** Reads a whole file into a buffer with room for exposeOutputs behind it. */
async function readModelBytes(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = modelBufferWithRoom(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await file.read(bytes, done, size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } finally {
    await file.close();
  }
}

/** Reads and checks a model file without starting a session. */
export async function readModelFile(
  path: string,
): Promise<{ bytes: Uint8Array; info: OnnxModelInfo; sha256: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await readModelBytes(path);
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

/** The model's single image input, checked, with its layout resolved. */
export function describeInput(info: OnnxModelInfo, path: string, layout: LayoutOption = 'auto'): ModelInput {
  if (info.inputs.length !== 1) {
    throw new UserError(
      `${path} has ${info.inputs.length} inputs (${info.inputs.map((i) => i.name).join(', ') || 'none'}); featscope feeds ` +
        'one image batch [N, C, H, W] or [N, H, W, C]. Export the classifier with a single image input.',
    );
  }
  const inp = info.inputs[0];
  const shape = inp.shape;
  if (inp.elemType !== 1 || !shape || shape.length !== 4) {
    throw new UserError(
      `${path}'s input "${inp.name}" is ${ONNX_TYPE_NAMES[inp.elemType] ?? `of ONNX type ${inp.elemType}`} with shape ` +
        `${shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : 'unknown'}; featscope needs a float32 image batch [N, C, H, W] ` +
        '(channels first, as PyTorch exports) or [N, H, W, C] (channels last). Export the model with a float image input.',
    );
  }
  const resolved = resolveLayout(shape, layout, path);
  const axes = layoutAxes(resolved.layout);
  const num = (d: Dim) => (typeof d === 'number' && d > 0 ? d : null);
  const channels = num(shape[axes.c]);
  if (channels !== null && channels !== 1 && channels !== 3) {
    throw new UserError(
      `${path}'s input "${inp.name}" [${shape.map((d) => d ?? '?').join(', ')}] has ${channels} channels ` +
        `(${resolved.layout === 'nchw' ? 'channels first, NCHW' : 'channels last, NHWC'}); featscope feeds 1 (grayscale) or 3 (RGB) channel images.`,
    );
  }
  return {
    name: inp.name,
    shape,
    fixedBatch: num(shape[0]),
    channels,
    height: num(shape[axes.h]),
    width: num(shape[axes.w]),
    layout: resolved.layout,
    layoutSource: resolved.source,
    layoutWarning: resolved.warning,
  };
}

/**
 * Resolves `--layer` (or the default: the input of the final classification layer of `output`, which
 * defaults to the first graph output) to a tensor name, with "did you mean" errors.
 */
export function resolveFeatureLayer(
  info: OnnxModelInfo,
  layer: string | null,
  path: string,
  output: string | null = null,
): ResolvedLayer {
  const scores = resolveClassificationOutput(info, output, path).name;
  if (layer === null) {
    const t = defaultFeatureTensor(info, scores);
    if (!t) {
      throw new UserError(
        `Cannot find the final classification layer of ${path} (its output "${scores}" is not produced by a Gemm, ` +
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
  /** b x numClasses class scores of the classification output, as float32 (see `ModelRunner.output.kind`). */
  scores: Float32Array;
  numClasses: number;
  /** b x featureDim features (inner tensors flattened per image, as torch.flatten(x, 1)), as float32. */
  features: Float32Array;
  featureDim: number;
}

export class ModelRunner {
  /** Scratch buffer for the NHWC transpose of a batch (channels-last models only). */
  private nhwc = new Float32Array(0);

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly input: ModelInput,
    readonly output: ClassificationOutput,
    readonly featureTensor: string,
    readonly threads: number,
    /** The provider the session runs on: one that cannot start is an error, never a fallback to the CPU. */
    readonly executionProvider: ExecutionProvider,
  ) {}

  /**
   * Creates the session over model bytes with the feature tensor exposed as an extra output. Options
   * left out take MODEL_DEFAULTS; `options.layer` is not read (pass the resolved `featureTensor`).
   */
  static async create(
    bytes: Uint8Array,
    info: OnnxModelInfo,
    path: string,
    featureTensor: string,
    options: Partial<ModelOptions> = {},
  ): Promise<ModelRunner> {
    const layout = options.layout ?? MODEL_DEFAULTS.layout;
    const provider = options.executionProvider ?? MODEL_DEFAULTS.executionProvider;
    const threadsOption = options.threads ?? MODEL_DEFAULTS.threads;
    const input = describeInput(info, path, layout);
    const output = resolveClassificationOutput(info, options.output ?? MODEL_DEFAULTS.output, path);
    const outputs = new Set(info.outputs.map((o) => o.name));
    const extra = featureTensor !== input.name && !outputs.has(featureTensor) ? [featureTensor] : [];
    const threads = threadsOption === 'auto' ? availableParallelism() : threadsOption;
    if (provider === 'cuda') assertCudaProviderInstalled();
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(exposeOutputs(bytes, extra), {
        executionProviders: [provider],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // ONNX Runtime's idle intra-op threads spin by default, taking CPU from classify's decode
        // workers on the same cores. Measured on 2 cores (bench/README.md): JPEG photos + a small
        // model 412-443 -> 451-465 images/s, Fashion-MNIST 3,308-3,368 -> 3,423-3,461, VGG16 unchanged.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      if (provider === 'cuda') throw cudaStartError(msg);
      throw new UserError(
        `ONNX Runtime cannot load ${path}: ${msg}. Check that the file is a complete, valid ONNX export.`,
      );
    }
    try {
      assertFloatOutputs(sessionOutputTypes(session), output.name, featureTensor, path, [...outputs]);
    } catch (e) {
      await session.release();
      throw e;
    }
    return new ModelRunner(session, input, output, featureTensor, threads, provider);
  }

  /** Runs one batch of `b` preprocessed images (NCHW float32; transposed here for a channels-last model). */
  async run(batch: Float32Array, b: number, c: number, h: number, w: number): Promise<InferenceResult> {
    let data = batch;
    let dims = [b, c, h, w];
    if (this.input.layout === 'nhwc') {
      if (this.nhwc.length < b * c * h * w) this.nhwc = new Float32Array(b * c * h * w);
      data = this.nhwc.subarray(0, b * c * h * w);
      nchwToNhwc(batch, b, c, h, w, data);
      dims = [b, h, w, c];
    }
    const feeds = { [this.input.name]: new ort.Tensor('float32', data, dims) };
    const scoresName = this.output.name;
    const fetches =
      this.featureTensor === this.input.name ? [scoresName] : [...new Set([scoresName, this.featureTensor])];
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(feeds, fetches);
    } catch (e) {
      throw new UserError(
        `The model failed on a batch of ${b} images of ${c}x${h}x${w}: ${(e as Error).message.split('\n')[0]}. ` +
          'Check that the preprocessing (--preset, --resize, --crop, --channels) produces the input size the model was trained on' +
          `${this.input.layoutSource === 'assumed' ? ', and --layout (featscope assumed NCHW)' : ''}.`,
      );
    }
    const scoresT = out[scoresName];
    if (scoresT.dims.length !== 2 || scoresT.dims[0] !== b) {
      throw new UserError(
        `The model's output "${scoresName}" has shape [${scoresT.dims.join(', ')}]; featscope needs class scores [N, classes]. ` +
          'Pick the classification output with --output, or export the classifier with its logits as the first output.',
      );
    }
    const featT = this.featureTensor === this.input.name ? feeds[this.input.name] : out[this.featureTensor];
    if (!isFloatType(featT.type)) {
      throw new UserError(
        `The feature layer "${this.featureTensor}" holds ${featT.type} values, not features; pick a float layer with --layer.`,
      );
    }
    const featureDim = featT.dims.slice(1).reduce((a, d) => a * Number(d), 1);
    return {
      scores: tensorToFloat32(scoresT),
      numClasses: Number(scoresT.dims[1]),
      features: tensorToFloat32(featT),
      featureDim,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
