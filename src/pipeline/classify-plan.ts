/**
 * How classify splits the machine between decoding and inference when `--decode-threads auto`: from
 * the measured cost of the first batch (docs/architecture.md, "Decoding ahead of inference"). Pure
 * functions; classify.ts measures and applies, run.json records the plan (`options.decodePlan`).
 */

/** What the first batch measured, and the machine it ran on. */
export interface DecodeCosts {
  /** Cores of the machine (availableParallelism()). */
  cores: number;
  /** ONNX Runtime's intra-op threads. */
  intraOpThreads: number;
  /** CPU seconds to read, decode and preprocess one image (all threads of the process, per image). */
  decodeSeconds: number;
  /** Wall seconds of inference per image, the model running alone with its intra-op threads. */
  inferSeconds: number;
}

/** How the decode threads were chosen, as recorded in run.json's `options.decodePlan`. */
export interface DecodePlan {
  /** Threads that decode and resize images ahead of inference (1: one, or the calling thread). */
  decodeThreads: number;
  /**
   * 'option': `--decode-threads N` given; 'few-files': 'auto' with fewer image files than are worth a
   * worker; 'few-cores': 'auto' on a machine with too few cores for workers to pay (prepare-pool.ts
   * MIN_CORES_FOR_WORKERS); 'measured': 'auto' sized from the first batch's costs; 'fallback': 'auto'
   * whose measurement was unusable (every image of the first batch skipped): every core, with a warning.
   */
  from: 'option' | 'few-files' | 'few-cores' | 'measured' | 'fallback';
  /** With 'measured': the first batch's CPU milliseconds per image for decoding, wall milliseconds per image for inference. */
  decodeMsPerImage?: number;
  inferMsPerImage?: number;
  /** With 'measured': decoding's share of the CPU work per image (0..1), which sets the threads. */
  decodeShare?: number;
  /** One sentence: why this many threads. */
  reason: string;
}

/**
 * Decode threads from the first batch's costs. Per image, decoding costs `decodeSeconds` of one core
 * and inference `inferSeconds` on min(intra-op threads, cores) cores; decoding's share of that CPU
 * work is the share of the cores it needs to keep up, so it gets ceil(cores x share) threads (1 to
 * cores). A compute-bound model (VGG16 on a CPU: decoding a few % of the work) gets one thread and
 * leaves every other core to ONNX Runtime; a decode-bound one (a tiny CNN on photos) gets every core.
 * Unusable costs (not finite, not positive) give every core, from 'fallback'.
 */
export function planDecodeThreads(c: DecodeCosts): DecodePlan {
  const cores = Math.max(1, Math.floor(c.cores));
  const usable = [c.decodeSeconds, c.inferSeconds].every((x) => Number.isFinite(x) && x > 0);
  if (!usable) {
    return {
      decodeThreads: cores,
      from: 'fallback',
      reason: `the first batch gave no usable costs (decode ${c.decodeSeconds} s, inference ${c.inferSeconds} s per image); every core decodes`,
    };
  }
  const inferCpu = c.inferSeconds * Math.max(1, Math.min(c.intraOpThreads, cores));
  const share = c.decodeSeconds / (c.decodeSeconds + inferCpu);
  const decodeThreads = Math.min(cores, Math.max(1, Math.ceil(cores * share - 1e-9)));
  const ms = (x: number) => Math.round(x * 1e5) / 100;
  return {
    decodeThreads,
    from: 'measured',
    decodeMsPerImage: ms(c.decodeSeconds),
    inferMsPerImage: ms(c.inferSeconds),
    decodeShare: Math.round(share * 1000) / 1000,
    reason: `decoding is ${(share * 100).toFixed(1)}% of the CPU work per image, so ${decodeThreads} of ${cores} cores decode`,
  };
}

/** Models whose file is at least this big run `batchSize: 'auto'` at BIG_MODEL_BATCH images per pass. */
export const BIG_MODEL_BYTES = 64 * 2 ** 20;
/** Images per pass for a model with a dynamic batch axis, by default. */
export const AUTO_BATCH = 64;
/** Images per pass for a big model (see planBatchSize). */
export const BIG_MODEL_BATCH = 8;

/** The batch size and why, as recorded in run.json's `options.batchSizeFrom`. */
export interface BatchPlan {
  batchSize: number;
  /** 'model': the model's fixed batch axis; 'option': `--batch-size N`; 'auto': AUTO_BATCH; 'big-model': BIG_MODEL_BATCH. */
  from: 'model' | 'option' | 'auto' | 'big-model';
}

/**
 * The images per forward pass. A fixed batch axis wins; then `--batch-size N`; under 'auto', a big
 * model (a file of BIG_MODEL_BYTES or more: VGG16, ResNet-50 and larger) runs BIG_MODEL_BATCH
 * images per pass, others AUTO_BATCH. A big model's inference is compute-bound from a handful of
 * images on: measured on VGG16, ONNX Runtime ran as many images per second at 8 as at 32 or 64
 * (bench/README.md, "Big models"), while 64 images of its activations take gigabytes and the first
 * batch waits for 64 decoded images before inference starts.
 */
export function planBatchSize(
  option: number | 'auto',
  fixedBatch: number | null,
  modelBytes: number,
): BatchPlan {
  if (fixedBatch !== null) return { batchSize: fixedBatch, from: 'model' };
  if (option !== 'auto') return { batchSize: option, from: 'option' };
  return modelBytes >= BIG_MODEL_BYTES
    ? { batchSize: BIG_MODEL_BATCH, from: 'big-model' }
    : { batchSize: AUTO_BATCH, from: 'auto' };
}
