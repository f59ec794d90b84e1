/**
 * Image preparation (read, decode, exact PIL resize, crop, normalise) on worker threads, so that a
 * many-core machine decodes on all of its cores while ONNX Runtime runs the previous batch (see
 * docs/architecture.md, "Decoding ahead of inference"). Each worker runs the very same
 * `prepareImage` as the calling thread, so the values do not depend on the number of threads.
 *
 * Every worker keeps up to two images in flight: while sharp decodes one on libuv's thread pool, the
 * worker's own thread resizes and normalises the other. libuv's pool is shared by all threads of the
 * process and holds UV_THREADPOOL_SIZE threads (4 unless set before the first use); the CLI raises it
 * to the number of cores (bin/featscope.js).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { workerScript } from '../reduce/worker-script.js';
import type { PreparedImage } from './image-tensor.js';
import type { ResolvedPreprocess } from './options.js';
import type { PrepareReply } from './prepare-worker.js';

/** Requests a worker holds at once (one decoding in libuv's pool, one being resized). */
const IN_FLIGHT_PER_WORKER = 2;
/** Below this many image files, 'auto' decodes on the calling thread: starting workers costs more. */
export const MIN_FILES_FOR_WORKERS = 64;

/**
 * Below this many cores, 'auto' decodes on the calling thread. There sharp already decodes on
 * libuv's pool and ONNX Runtime runs on its own threads, so both cores are busy without workers,
 * and workers only add their start (each loads sharp) and a message per image. Measured on 2 cores
 * (bench/README.md), the calling thread against 2 workers: JPEG photos with a small model 506 against
 * 462 images/s (282 against 212 per CPU-second), Fashion-MNIST PNGs 4,581 against 3,154.
 */
export const MIN_CORES_FOR_WORKERS = 3;

/**
 * The one place `decodeThreads: 'auto'` is resolved: every core when there are at least
 * MIN_FILES_FOR_WORKERS image files to decode and MIN_CORES_FOR_WORKERS cores, else 1 (the calling
 * thread). A number is taken as is. 1 means no worker: the calling thread resizes, sharp still
 * decodes on libuv's pool. Under 'auto', classify starts this many workers and keeps as many as the
 * first batch's measured costs ask for (limitThreads; pipeline/classify-plan.ts).
 */
export function resolveDecodeThreads(
  option: number | 'auto',
  imageFiles: number,
  cores = availableParallelism(),
): number {
  if (option !== 'auto') return option;
  return imageFiles >= MIN_FILES_FOR_WORKERS && cores >= MIN_CORES_FOR_WORKERS ? cores : 1;
}

interface Pending {
  file: string | Uint8Array;
  resolve: (img: PreparedImage) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

export class PreparePool {
  private queue: { id: number; job: Pending }[] = [];
  private nextId = 0;
  private failed: Error | null = null;
  /** Workers that take new requests (the first `active` slots); the others idle. */
  private active: number;

  private constructor(private readonly slots: Slot[]) {
    this.active = slots.length;
    for (const slot of slots) {
      slot.worker.on('message', (m: PrepareReply) => this.settle(slot, m));
      slot.worker.on('error', (e) =>
        this.fail(
          new UserError(
            `A decode thread stopped (${e.message.split('\n')[0]}). Run again with --decode-threads 1 to decode on the main thread.`,
          ),
        ),
      );
    }
  }

  /** Starts `threads` workers for preprocessing `pre` and waits until each has loaded. */
  static async create(threads: number, pre: ResolvedPreprocess): Promise<PreparePool> {
    const { script, isEval } = workerScript(import.meta.url, 'prepare-worker');
    const workers = Array.from({ length: threads }, () => {
      const worker = new Worker(script, { eval: isEval, workerData: { pre } });
      worker.unref();
      return worker;
    });
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((resolve, reject) => {
              w.once('message', resolve);
              w.once('error', reject);
            }),
        ),
      );
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new PreparePool(workers.map((worker) => ({ worker, inFlight: new Map() })));
  }

  /** Workers that take new requests: all started ones unless limited by `limitThreads`. */
  get threads(): number {
    return this.active;
  }

  /**
   * From now on, only the first `threads` workers (at least 1) take new requests; the others finish
   * what they hold and idle. classify uses it once it has measured the first batch (classify-plan.ts).
   */
  limitThreads(threads: number): void {
    this.active = Math.max(1, Math.min(this.slots.length, Math.floor(threads)));
  }

  /** Reads and prepares one image file; rejects with the worker's error (code and message kept). */
  prepare(file: string | Uint8Array): Promise<PreparedImage> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job: { file, resolve, reject } });
      this.dispatch();
    });
  }

  /** Stops the workers; pending requests are rejected. */
  async close(): Promise<void> {
    this.fail(new UserError('The decode threads were stopped.'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Slot | null = null;
      for (let i = 0; i < this.active; i++) {
        const s = this.slots[i];
        if (!best || s.inFlight.size < best.inFlight.size) best = s;
      }
      if (!best || best.inFlight.size >= IN_FLIGHT_PER_WORKER) return;
      const { id, job } = this.queue.shift()!;
      best.inFlight.set(id, job);
      best.worker.postMessage({ id, file: job.file });
    }
  }

  private settle(slot: Slot, m: PrepareReply): void {
    const job = slot.inFlight.get(m.id);
    if (!job) return;
    slot.inFlight.delete(m.id);
    if ('error' in m) {
      const err = new Error(m.error.message) as NodeJS.ErrnoException;
      if (m.error.code !== undefined) err.code = m.error.code;
      job.reject(err);
    } else job.resolve({ data: m.data, width: m.width, height: m.height });
    this.dispatch();
  }

  /**
   * A worker died (out of memory, a crash in native code) or the pool was closed: every waiting
   * request fails with a UserError, which the caller passes on instead of skipping the image.
   */
  private fail(e: Error): void {
    this.failed ??= e;
    for (const s of this.slots) {
      for (const job of s.inFlight.values()) job.reject(e);
      s.inFlight.clear();
    }
    for (const { job } of this.queue) job.reject(e);
    this.queue = [];
  }
}
