/**
 * The classify stage: scan the ImageFolder, run one batched inference pass that yields logits and
 * features together, and return predictions + features as plain data. Images are decoded and
 * preprocessed one batch ahead of the model (streaming: only two batches of pixels live at a time).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type DataSpec, describeData, type LoadedData, type LoadedItem } from '../dataset/domains.js';
import type { Split } from '../dataset/mnist-folder.js';
import { CancelledError, UserError } from '../errors.js';
import type { InputLayout } from '../model/input-layout.js';
import type { ResolvedLayer } from '../model/layers.js';
import { guessedKindWarning, guessKindFromValues, type OutputKind } from '../model/output-kind.js';
import {
  describeInput,
  MODEL_DEFAULTS,
  type ModelOptions,
  ModelRunner,
  resolveFeatureLayer,
} from '../model/session.js';
import { scoresToProbabilities, topKRows } from '../model/softmax.js';
import {
  type PreparedImage,
  prepareImage,
  preparePixels,
  sizeMismatchError,
} from '../preprocess/image-tensor.js';
import { type PreprocessOptions, type ResolvedPreprocess, resolvePreprocess } from '../preprocess/options.js';
import { pilResizeFallbackWarning } from '../preprocess/pil-resize-wasm.js';
import {
  MIN_CORES_FOR_WORKERS,
  MIN_FILES_FOR_WORKERS,
  PreparePool,
  resolveDecodeThreads,
} from '../preprocess/prepare-pool.js';
import { type ClassifyInputs, loadClassifyInputs } from './classify-inputs.js';
import {
  type BatchPlan,
  type DecodeCosts,
  type DecodePlan,
  planBatchSize,
  planDecodeThreads,
} from './classify-plan.js';
import type { Predictions } from './predictions-table.js';
import type { ProgressListener, StageControl } from './progress.js';
import { type ShardRows, type ShardSpec, shardRows } from './shard.js';

export interface ClassifyOptions extends ModelOptions, StageControl {
  model: string;
  /** A folder or CSV list (see src/dataset/source.ts), or one spec per domain. */
  data: string | readonly DataSpec[];
  /** MNIST-family folders: which split's IDX files to read; null = test. */
  split: Split | null;
  /** Class-index JSON; null = the model's metadata or the data's own classes (src/dataset/classes.ts). */
  classes: string | null;
  topK: number;
  /** Images per forward pass; 'auto' = the model's fixed batch, else 64, or 8 for a big model (planBatchSize). */
  batchSize: number | 'auto';
  /** Undecodable images are fatal instead of skipped. */
  strict: boolean;
  preprocess: PreprocessOptions;
  /** Classify only part `index` of `count` contiguous ranges of the scan order (src/pipeline/shard.ts); null = every image. */
  shard?: ShardSpec | null;
  /**
   * Threads that read, decode and resize images ahead of inference; 1 = the calling thread;
   * 'auto' = sized from the first batch's measured decode and inference costs when there are enough
   * image files (planDecodeThreads), else the calling thread.
   */
  decodeThreads?: number | 'auto';
}

export const CLASSIFY_DEFAULTS = Object.freeze({
  shard: null,
  split: null,
  classes: null,
  topK: 3,
  batchSize: 'auto' as const,
  strict: false,
  preprocess: Object.freeze({ preset: 'auto' as const }),
  decodeThreads: 'auto' as const,
});

/**
 * Batches prepared ahead of the one being inferred. With one, the decode threads would idle at each
 * batch boundary while the last images of the batch finish; two keep them busy, for the memory of one
 * more batch of tensors (docs/architecture.md, "Decoding ahead of inference").
 */
const BATCHES_AHEAD = 2;

export interface SkippedImage {
  path: string;
  reason: string;
}

export interface ClassifyResult extends Predictions {
  /** What was read: domains (forms, roots, counts) and where the class names came from. */
  data: Pick<LoadedData, 'domains' | 'classesFrom' | 'classesDetail'>;
  features: Float32Array;
  featureDim: number;
  skipped: SkippedImage[];
  warnings: string[];
  modelSha256: string;
  layer: ResolvedLayer;
  /** The classification output and what it holds ('graph': read from its producing node; 'values': guessed from the first batch, with a warning). */
  output: { name: string; kind: OutputKind; kindSource: 'graph' | 'values' };
  /** The input layout fed to the model and where it came from (see ModelInput). */
  layout: { layout: InputLayout; source: 'shape' | 'option' | 'assumed' };
  preprocess: ResolvedPreprocess;
  batchSize: number;
  /** Where `batchSize` came from (planBatchSize). */
  batchSizeFrom: BatchPlan['from'];
  threads: number;
  /** Threads that decoded and resized the images (1: the calling thread). */
  decodeThreads: number;
  /** How `decodeThreads` was chosen, with the first batch's measured costs under 'auto'. */
  decodePlan: DecodePlan;
  executionProvider: string;
  /** Images per second over the whole pass (decode + preprocess + inference). */
  imagesPerSecond: number;
  /** With `shard`: the part and its rows [start, end) of the scan's `total` images. */
  shard?: ShardRows;
}

/**
 * Classifies every image of the test set and pulls the features out of the chosen layer in the same
 * pass. `inputs` are the model, class index and data listing when the caller has read them already
 * (loadClassifyInputs; `featscope run` does, for its cache key).
 */
export async function classify(options: ClassifyOptions, inputs?: ClassifyInputs): Promise<ClassifyResult> {
  const { onProgress, signal } = options;
  if (!(Number.isInteger(options.topK) && options.topK >= 1))
    throw new UserError(`--top-k must be a whole number >= 1 (got ${options.topK}).`, 2);
  const { model, data: dataset } = inputs ?? (await loadClassifyInputs(options));
  const shard = options.shard
    ? shardRows(options.shard, dataset.items.length, describeData(options.data))
    : null;
  const { bytes, info, sha256 } = model;
  const input = describeInput(info, options.model, options.layout ?? MODEL_DEFAULTS.layout);
  const layer = resolveFeatureLayer(
    info,
    options.layer,
    options.model,
    options.output ?? MODEL_DEFAULTS.output,
  );
  const pre = resolvePreprocess(options.preprocess, input, info.metadata['featscope.preprocess']);
  const warnings = [...dataset.warnings];
  if (input.layoutWarning) warnings.push(input.layoutWarning);
  const resizeFallback = pilResizeFallbackWarning(pre);
  if (resizeFallback) warnings.push(resizeFallback);
  const files = dataset.items.reduce((a, it) => a + (it.pixels ? 0 : 1), 0);
  const decodeOption = options.decodeThreads ?? CLASSIFY_DEFAULTS.decodeThreads;
  const decodeThreads = resolveDecodeThreads(decodeOption, files);
  // The decode workers boot (each loads sharp: ~0.13 s of CPU) while this thread opens the model.
  const poolStart = decodeThreads > 1 && files > 0 ? PreparePool.create(decodeThreads, pre) : null;
  poolStart?.catch(() => {}); // its failure is reported where it is awaited, below
  let runner: ModelRunner;
  try {
    runner = await ModelRunner.create(bytes, info, options.model, layer.tensor, options);
  } catch (e) {
    await (await poolStart?.catch(() => null))?.close();
    throw e;
  }
  let pool: PreparePool | null = null;
  try {
    pool = await poolStart;
    const cores = availableParallelism();
    let decodePlan: DecodePlan =
      decodeOption !== 'auto'
        ? { decodeThreads: pool?.threads ?? 1, from: 'option', reason: '--decode-threads given' }
        : files < MIN_FILES_FOR_WORKERS
          ? {
              decodeThreads: 1,
              from: 'few-files',
              reason: `${files} image files (fewer than ${MIN_FILES_FOR_WORKERS}): the calling thread decodes`,
            }
          : {
              decodeThreads: pool?.threads ?? 1,
              from: 'few-cores',
              reason: `${cores} cores (fewer than ${MIN_CORES_FOR_WORKERS}): no decode workers; the calling thread prepares the images, sharp's decoding runs on libuv's pool`,
            };
    // 'auto' with workers: every core decodes the first batch, which then runs alone; its costs set
    // how many workers decode from then on (classify-plan.ts).
    const tune =
      decodeOption === 'auto' && pool
        ? (costs: Omit<DecodeCosts, 'cores' | 'intraOpThreads'>) => {
            decodePlan = planDecodeThreads({
              ...costs,
              cores: decodeThreads,
              intraOpThreads: runner.threads,
            });
            if (decodePlan.from === 'fallback') warnings.push(`--decode-threads auto: ${decodePlan.reason}.`);
            pool!.limitThreads(decodePlan.decodeThreads);
          }
        : null;
    const { batchSize, from: batchSizeFrom } = planBatchSize(
      options.batchSize,
      input.fixedBatch,
      bytes.length,
    );
    if (input.fixedBatch !== null && options.batchSize !== 'auto' && options.batchSize !== input.fixedBatch) {
      warnings.push(
        `the model's batch size is fixed at ${input.fixedBatch}; --batch-size ${options.batchSize} is ignored.`,
      );
    }
    const result = await runBatches(
      runner,
      shard ? dataset.items.slice(shard.start, shard.end) : dataset.items,
      pre,
      pool,
      batchSize,
      input.fixedBatch !== null,
      options.strict,
      onProgress,
      signal,
      tune,
    );
    if (result.kindSource === 'values') warnings.push(guessedKindWarning(runner.output, result.kind));
    const n = result.kept.length;
    const C = result.numClasses;
    const classes = classNames(C, dataset, options, warnings);
    if (options.topK > C) {
      throw new UserError(
        `--top-k ${options.topK} is larger than the model's ${C} classes; pass --top-k ${Math.min(3, C)} or less.`,
        2,
      );
    }
    const k = options.topK;
    const topIds = new Int32Array(n * k);
    const topConf = new Float32Array(n * k);
    topKRows(result.probs, n, C, k, topIds, topConf);
    return {
      paths: result.kept.map((it) => it.path),
      labelIds: Int32Array.from(result.kept.map((it) => it.labelId)),
      ...(dataset.domains.length > 1
        ? {
            domains: {
              names: dataset.domains.map((d) => d.name),
              ids: Int32Array.from(result.kept.map((it) => it.domain)),
            },
          }
        : {}),
      data: {
        domains: dataset.domains,
        classesFrom: dataset.classesFrom,
        classesDetail: dataset.classesDetail,
      },
      classes,
      k,
      topIds,
      topConf,
      probs: result.probs,
      features: result.features,
      featureDim: result.featureDim,
      skipped: result.skipped,
      warnings,
      modelSha256: sha256,
      layer,
      output: { name: runner.output.name, kind: result.kind, kindSource: result.kindSource },
      layout: { layout: input.layout, source: input.layoutSource },
      preprocess: pre,
      batchSize,
      batchSizeFrom,
      threads: runner.threads,
      decodeThreads: pool?.threads ?? 1,
      decodePlan,
      executionProvider: runner.executionProvider,
      imagesPerSecond: result.imagesPerSecond,
      ...(shard ? { shard } : {}),
    };
  } finally {
    await pool?.close();
    await runner.release();
  }
}

function classNames(C: number, data: LoadedData, options: ClassifyOptions, warnings: string[]): string[] {
  if (data.classesFrom !== 'data') {
    if (data.classes.length !== C) {
      throw new UserError(
        `The class-index file ${data.classesDetail} names ${data.classes.length} classes but the model ${options.model} has ${C} outputs. ` +
          'Pass the class-index file the model was trained with.',
      );
    }
    return data.classes;
  }
  const folders = data.domains.length === 1 && data.domains[0].form === 'image-folder';
  const what = folders ? 'class folders' : 'classes in its labels';
  const where = describeData(options.data);
  if (data.classes.length > C) {
    throw new UserError(
      `${where} has ${data.classes.length} ${what} but the model has only ${C} outputs, so label ids cannot line up. ` +
        `Pass --classes with the model's class-index JSON ({"0": "name", ...}) so each ${folders ? 'folder' : 'label'} gets its true index.`,
    );
  }
  if (data.classes.length < C) {
    warnings.push(
      data.classes.length === 0
        ? `${where} has no labels and the model names no classes; its ${C} outputs are named class_<i>. Pass --classes with the class-index JSON to name them.`
        : `the model has ${C} outputs but ${where} has ${data.classes.length} ${what}; outputs ${data.classes.length}..${C - 1} are named class_<i>. ` +
            'Pass --classes with the class-index JSON to name them and to map labels to the right indices.',
    );
  }
  return Array.from({ length: C }, (_, i) => data.classes[i] ?? `class_${i}`);
}

interface BatchOutcome {
  kept: LoadedItem[];
  skipped: SkippedImage[];
  probs: Float32Array;
  numClasses: number;
  features: Float32Array;
  featureDim: number;
  imagesPerSecond: number;
  kind: OutputKind;
  kindSource: 'graph' | 'values';
}

interface PreparedBatch {
  items: LoadedItem[];
  images: PreparedImage[];
  skipped: SkippedImage[];
}

async function prepareBatch(
  items: LoadedItem[],
  pre: ResolvedPreprocess,
  pool: PreparePool | null,
  strict: boolean,
): Promise<PreparedBatch> {
  const results = await Promise.all(
    items.map(async (it) => {
      try {
        if (it.pixels) return preparePixels(it.pixels, pre);
        if (pool) return await pool.prepare(it.file);
        return await prepareImage(await readFile(it.file), pre);
      } catch (e) {
        if (e instanceof UserError) throw e; // the decode threads stopped: not this image's fault
        const reason = describeDecodeError(e);
        if (strict)
          throw new UserError(
            `Cannot use the image ${it.path}: ${reason}. Remove or fix it, or drop --strict to skip such files.`,
          );
        return reason;
      }
    }),
  );
  const out: PreparedBatch = { items: [], images: [], skipped: [] };
  results.forEach((r, i) => {
    if (typeof r === 'string') out.skipped.push({ path: items[i].path, reason: r });
    else {
      out.items.push(items[i]);
      out.images.push(r);
    }
  });
  return out;
}

function describeDecodeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'ENOENT') return 'file not found (broken link?)';
  if (err.code === 'EISDIR') return 'is a folder';
  if (err.code === 'ELOOP') return 'symbolic link loop';
  const msg = (err.message ?? String(e)).split('\n')[0];
  if (/unsupported image format|Input buffer contains unsupported/i.test(msg))
    return 'not a decodable image (unsupported or corrupt data)';
  if (/empty/i.test(msg) || /Input Buffer is empty/i.test(msg)) return 'empty file';
  return `cannot decode: ${msg}`;
}

async function runBatches(
  runner: ModelRunner,
  items: LoadedItem[],
  pre: ResolvedPreprocess,
  pool: PreparePool | null,
  batchSize: number,
  padToBatch: boolean,
  strict: boolean,
  onProgress: ProgressListener | undefined,
  signal: AbortSignal | undefined,
  tune: ((costs: { decodeSeconds: number; inferSeconds: number }) => void) | null,
): Promise<BatchOutcome> {
  const total = items.length;
  const kept: LoadedItem[] = [];
  const skipped: SkippedImage[] = [];
  let probs = new Float32Array(0);
  let features = new Float32Array(0);
  let numClasses = -1;
  let featureDim = -1;
  let kind = runner.output.kind;
  const kindSource = kind === null ? 'values' : 'graph';
  let n = 0;
  let shape: [number, number] | null = null; // [height, width] of the first image
  const want: [number, number] | null =
    runner.input.height !== null && runner.input.width !== null
      ? [runner.input.height, runner.input.width]
      : null;
  const started = performance.now();
  const slices: LoadedItem[][] = [];
  for (let i = 0; i < total; i += batchSize) slices.push(items.slice(i, i + batchSize));
  // Batches being prepared, in order; a rejection is handled where the batch is awaited (and
  // ignored for batches never awaited because an earlier one failed).
  const ahead: Promise<PreparedBatch>[] = [];
  // With `tune`, the first batch is prepared and inferred alone, so that both costs are measured
  // without the other competing; the batches after it are prepared ahead as usual.
  let measuring = tune !== null;
  const fill = (from: number) => {
    const depth = measuring ? 1 : BATCHES_AHEAD;
    for (let s = from + ahead.length; s < slices.length && ahead.length < depth; s++) {
      const p = prepareBatch(slices[s], pre, pool, strict);
      p.catch(() => {});
      ahead.push(p);
    }
  };
  const cpuStart = process.cpuUsage();
  fill(0);
  let done = 0;
  let batchBuffer = new Float32Array(0);
  onProgress?.({ stage: 'classify', done: 0, total, unit: 'images' });
  for (let s = 0; s < slices.length; s++) {
    if (signal?.aborted) throw new CancelledError();
    const batch = await ahead.shift()!;
    const cpu = process.cpuUsage(cpuStart);
    const decodeSeconds = (cpu.user + cpu.system) / 1e6 / slices[s].length;
    let inferSeconds = Number.NaN;
    fill(s + 1);
    skipped.push(...batch.skipped);
    const b = batch.images.length;
    if (b > 0) {
      for (let i = 0; i < b; i++) {
        const img = batch.images[i];
        const got: [number, number] = [img.height, img.width];
        if (want && (got[0] !== want[0] || got[1] !== want[1]))
          throw sizeMismatchError(batch.items[i].path, got, want, 'the model');
        if (shape && (got[0] !== shape[0] || got[1] !== shape[1])) {
          throw sizeMismatchError(
            batch.items[i].path,
            got,
            shape,
            `batching with ${kept[0]?.path ?? batch.items[0].path}`,
          );
        }
        shape ??= got;
      }
      const [h, w] = shape!;
      const per = pre.channels * h * w;
      const rows = padToBatch ? batchSize : b;
      // One input buffer for every batch (38 MB at 64 ImageNet images): allocating and zeroing a
      // fresh one per batch cost ~0.1 ms an image. The model has finished with it once `run` resolves.
      if (batchBuffer.length < rows * per) batchBuffer = new Float32Array(rows * per);
      const tensor = batchBuffer.subarray(0, rows * per);
      batch.images.forEach((img, i) => tensor.set(img.data, i * per));
      tensor.fill(0, b * per); // padding rows: zeros, as before, not the last batch's images
      const t0 = performance.now();
      const r = await runner.run(tensor, rows, pre.channels, h, w);
      inferSeconds = (performance.now() - t0) / 1000 / b;
      if (numClasses < 0) {
        numClasses = r.numClasses;
        featureDim = r.featureDim;
        probs = new Float32Array(total * numClasses);
        features = new Float32Array(total * featureDim);
      }
      kind ??= guessKindFromValues(r.scores, b, numClasses);
      scoresToProbabilities(kind, r.scores.subarray(0, b * numClasses), b, numClasses, probs, n * numClasses);
      const feats = r.features.subarray(0, b * featureDim);
      for (let i = 0; i < feats.length; i++) {
        if (!Number.isFinite(feats[i])) {
          throw new UserError(
            `The feature layer produced a non-finite value (NaN or infinity) for ${batch.items[Math.floor(i / featureDim)].path}. ` +
              'Check the preprocessing flags (mean/std) and the model; pick another --layer if this layer overflows.',
          );
        }
      }
      features.set(feats, n * featureDim);
      kept.push(...batch.items);
      n += b;
    }
    if (measuring) {
      measuring = false;
      tune!({ decodeSeconds, inferSeconds });
      fill(s + 1);
    }
    done += slices[s].length;
    onProgress?.({ stage: 'classify', done, total, unit: 'images' });
  }
  if (n === 0) {
    const reasons = [...new Set(skipped.map((s) => s.reason))].slice(0, 3).join('; ');
    const first = items.find((it) => it.path === skipped[0]?.path);
    throw new UserError(
      `None of the ${total} images could be decoded (${reasons}; the first: ${first?.file ?? skipped[0]?.path}). ` +
        'Check that --data points at your images (the paths of a CSV list are relative to the CSV file).',
    );
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    kept,
    skipped,
    probs: probs.subarray(0, n * numClasses),
    numClasses,
    features: features.subarray(0, n * featureDim),
    featureDim,
    imagesPerSecond: n / Math.max(seconds, 1e-9),
    kind: kind ?? 'logits',
    kindSource,
  };
}
