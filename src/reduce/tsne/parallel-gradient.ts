/**
 * The gradient on several threads: this thread plus `threads - 1` workers (gradient-worker.ts) over
 * shared memory. Work is split by fixed ranges (attractive rows), by chunks of the Barnes-Hut point
 * groups that each thread takes as it goes, or by charge grid (FFT: this thread convolves grid a,
 * worker 1 grid b). Every number is computed by the same
 * arithmetic as on one thread (each point's sums are one thread's work; Z is added up per point in
 * index order), so the result is bit-identical for any thread count.
 *
 * This thread builds the tree / spreads the charges, wakes the workers with one Atomics.notify, does
 * its own share, and sleeps in Atomics.wait until they are done.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import type { CsrMatrix } from './affinities.js';
import { AttractionKernel } from './attraction-kernel.js';
import { csrInWasmMemory } from './attraction-memory.js';
import { KernelConvolution2d } from './fft-convolution.js';
import { repulsiveForcesBhShare, repulsiveForcesBhShared, sumInOrder } from './gradient-bh.js';
import { InteractionList } from './gradient-bh-grouped.js';
import type { GradientEngine } from './gradient-engine.js';
import { coordinateRange, FftRepulsion2d } from './gradient-fft.js';
import {
  descendAll,
  meanFromBlocks,
  type StepCoefficients,
  StepScratch,
  type StepState,
  stepRangeOf,
} from './gradient-step.js';
import {
  attractionRangeBesideTree,
  attractionRowsOf,
  CONTROL_SLOTS,
  DONE,
  FAILED,
  KIND_ATTRACTIVE,
  KIND_BH,
  KIND_EXIT,
  KIND_FFT,
  KIND_FFT_GATHER,
  KIND_RECENTRE,
  KIND_STEP,
  NEXT,
  PARALLEL_STEP_MIN_POINTS,
  rangeOf,
  SEQ,
  TASK_EXAGGERATION,
  TASK_FLAT_SIZE,
  TASK_INV_Z,
  TASK_KIND,
  TASK_LEARNING_RATE,
  TASK_MAX_STEP2,
  TASK_MEAN,
  TASK_MIN_GAIN,
  TASK_MOMENTUM,
  TASK_SLOTS,
  TASK_THETA,
  type WorkerFailure,
  type WorkerMessage,
  writeGridPlan,
} from './parallel-protocol.js';
import { fftIsCheaper, span2d } from './repulsion-choice.js';
import { float64Array, int32Array } from './shared-arrays.js';
import { FlatTree, SpTree } from './sptree.js';
import { DescentSteps } from './step-kernel.js';

/** True when all of P's arrays lie in SharedArrayBuffers. */
function isShared(p: CsrMatrix): boolean {
  return [p.rowPtr, p.cols, p.vals].every((a) => a.buffer instanceof SharedArrayBuffer);
}

/** Longest wait for the workers of one iteration before we call them lost. */
const WORKER_TIMEOUT_MS = 120_000;

export class ParallelGradient implements GradientEngine {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
  private readonly task = float64Array(8 * TASK_SLOTS, true);
  /** Each point's share of Z, added up in index order (independent of the thread count). */
  private readonly zPoint: Float64Array;
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private readonly p: CsrMatrix;
  private readonly tree: SpTree;
  private readonly flat: FlatTree;
  private readonly fft: FftRepulsion2d | null;
  private readonly conv = new KernelConvolution2d();
  private readonly list = new InteractionList();
  private readonly attraction: AttractionKernel;
  private sentTree = -1;
  private sentGrids = -1;
  private positions: Float64Array | null = null;
  private attr: Float64Array | null = null;
  private rep: Float64Array | null = null;
  private readonly step: StepScratch;
  /** This thread's share of a step (in WebAssembly on the arena for 2D maps). */
  private readonly steps: DescentSteps;
  /** Per thread: the range of its points after the last re-centring. */
  private readonly ranges: Float64Array;
  private stepArrays: { update: Float64Array; gains: Float64Array } | null = null;
  /**
   * The range of `positions` as the last step left them, for the next evaluation's grid (the
   * optimiser evaluates right after each step); dropped by that evaluation.
   */
  private knownRange: { positions: Float64Array; lo: number; hi: number } | null = null;

  private constructor(
    p: CsrMatrix,
    private readonly dims: 2 | 3,
    private readonly method: 'bh' | 'fft' | 'adaptive',
    private readonly theta: number,
    readonly threads: number,
  ) {
    // P in shared memory: as given when it is already there (affinities-ordered.ts), else copied once.
    this.p = isShared(p) ? p : sharedCsr(p);
    this.tree = new SpTree(dims);
    this.flat = new FlatTree(dims, true);
    this.fft = method === 'bh' ? null : new FftRepulsion2d(true);
    this.zPoint = this.allocate(p.n);
    const [r0, r1] = attractionRowsOf(p.n, 0, threads);
    this.attraction = new AttractionKernel(this.p, dims, r0, r1);
    this.step = new StepScratch(p.n, dims, (length) => this.allocate(length));
    this.ranges = this.allocate(2 * threads);
    this.steps = new DescentSteps(this.arena, dims);
  }

  /** Start `threads - 1` workers and wait until they run. */
  static async create(
    p: CsrMatrix,
    dims: 2 | 3,
    method: 'bh' | 'fft' | 'adaptive',
    theta: number,
    threads: number,
  ): Promise<ParallelGradient> {
    const engine = new ParallelGradient(p, dims, method, theta, threads);
    const { script, isEval } = workerScript(import.meta.url, 'gradient-worker');
    const ready: Promise<unknown>[] = [];
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, {
        eval: isEval,
        workerData: { control: engine.control.buffer, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      engine.workers.push(worker);
      engine.ports.push(port1);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      engine.dispose();
      throw e;
    }
    return engine;
  }

  /**
   * The WebAssembly memory every array of `allocate` lies in, where the point steps and the descent
   * step read them in place: the FFT's arena; null without one.
   */
  private get arena() {
    return this.fft?.memory ?? null;
  }

  /** In the FFT's arena when it has one (`arena`), else in a SharedArrayBuffer. */
  allocate(length: number): Float64Array {
    return this.fft ? this.fft.allocate(length) : float64Array(length, true);
  }

  private post(msg: WorkerMessage): void {
    for (const port of this.ports) port.postMessage(msg);
  }

  private setupOnce(positions: Float64Array, attr: Float64Array, rep: Float64Array): void {
    if (this.positions === positions && this.attr === attr && this.rep === rep) return;
    this.positions = positions;
    this.attr = attr;
    this.rep = rep;
    this.ports.forEach((port, i) => {
      const msg: WorkerMessage = {
        type: 'setup',
        thread: i + 1,
        threads: this.threads,
        n: this.p.n,
        dims: this.dims,
        rowPtr: this.p.rowPtr,
        cols: this.p.cols,
        vals: this.p.vals,
        positions,
        attr,
        rep,
        zPoint: this.zPoint,
        task: this.task,
        pMemory: this.p.memory,
        arena: this.arena,
      };
      port.postMessage(msg);
    });
  }

  /** Wake the workers on the current task, run `own`, wait for them. */
  private runTask(own: () => void): void {
    const c = this.control;
    Atomics.store(c, DONE, 0);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    own();
    const target = this.workers.length;
    const deadline = Date.now() + WORKER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= target) break;
      if (Date.now() > deadline) throw new Error('t-SNE worker threads stopped responding');
      Atomics.wait(c, DONE, done, 1000);
    }
    if (Atomics.load(c, FAILED) !== 0) throw this.workerFailure();
  }

  /** The error a worker reported (its message and stack), read from the ports without waiting. */
  private workerFailure(): Error {
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const f = m.message as WorkerFailure;
        if (f?.type !== 'failed') continue;
        const err = new Error(`t-SNE worker thread ${f.thread} failed: ${f.message}`);
        if (f.stack) err.stack = `${err.message}\n--- in the worker ---\n${f.stack}`;
        return err;
      }
    }
    return new Error('a t-SNE worker thread failed without a report');
  }

  evaluate(positions: Float64Array, exaggeration: number, attr: Float64Array, rep: Float64Array): number {
    this.setupOnce(positions, attr, rep);
    const n = this.p.n;
    const [a0, a1] = rangeOf(n, 0, this.threads);
    const task = this.task;
    task[TASK_EXAGGERATION] = exaggeration;
    const known = this.knownRange;
    this.knownRange = null;
    const range =
      this.dims === 2 && this.method !== 'bh'
        ? known !== null && known.positions === positions
          ? known
          : coordinateRange(positions, n)
        : null;
    const useFft = range !== null && (this.method === 'fft' || fftIsCheaper(n, range.hi - range.lo));
    if (!useFft) {
      // Round 1: this thread builds the tree (inserting in the last tree's order) and computes a
      // smaller share of the attractive forces; the workers compute the rest.
      task[TASK_KIND] = KIND_ATTRACTIVE;
      this.runTask(() => {
        this.tree.build(positions, n, this.flat.order);
        this.flat.fill(this.tree, n);
        const [b0, b1] = attractionRangeBesideTree(n, 0, this.threads);
        this.attraction.compute(positions, exaggeration, attr, b0, b1);
      });
      if (this.sentTree !== this.flat.version) {
        this.post({ type: 'tree', nodes: this.flat.nodes, order: this.flat.order });
        this.sentTree = this.flat.version;
      }
      // Round 2: everyone traverses the tree for chunks of the point groups, taken as they go.
      task[TASK_KIND] = KIND_BH;
      task[TASK_THETA] = this.theta;
      task[TASK_FLAT_SIZE] = this.flat.size;
      Atomics.store(this.control, NEXT, 0);
      this.runTask(() => {
        repulsiveForcesBhShared(
          this.flat,
          n,
          positions,
          this.theta,
          rep,
          this.zPoint,
          this.list,
          this.control,
          NEXT,
        );
      });
      return sumInOrder(this.zPoint, n);
    }
    const fft = this.fft!;
    const plan = fft.planGrid(positions, n, range);
    if (this.sentGrids !== fft.version) {
      this.post({ type: 'grids', grids: { ...fft.grids } });
      this.sentGrids = fft.version;
    }
    // Round 1: this thread spreads and convolves grid a, worker 1 grid b; all share the attraction.
    task[TASK_KIND] = KIND_FFT;
    writeGridPlan(task, plan);
    this.runTask(() => {
      fft.spread(positions, n, plan, 0);
      this.conv.setGrid(plan.m, plan.h);
      this.conv.convolve(fft.grids.aRe, fft.grids.aIm);
      this.attraction.compute(positions, exaggeration, attr, a0, a1);
    });
    // Round 2: everyone gathers its share of the forces.
    task[TASK_KIND] = KIND_FFT_GATHER;
    this.runTask(() => fft.gather(positions, plan, rep, this.zPoint, a0, a1));
    return sumInOrder(this.zPoint, n);
  }

  descend(state: StepState, c: StepCoefficients): void {
    const n = this.p.n;
    const dims = this.dims;
    const y = state.positions;
    if (n < PARALLEL_STEP_MIN_POINTS || this.workers.length === 0 || y !== this.positions) {
      descendAll(state, n, dims, c, this.step);
      this.knownRange = { positions: y, lo: this.step.range[0], hi: this.step.range[1] };
      return;
    }
    const s = this.stepArrays;
    if (s === null || s.update !== state.update || s.gains !== state.gains) {
      this.stepArrays = { update: state.update, gains: state.gains };
      const msg = {
        update: state.update,
        gains: state.gains,
        blockSums: this.step.blockSums,
        ranges: this.ranges,
      };
      this.post({ type: 'step', ...msg });
    }
    const task = this.task;
    task[TASK_KIND] = KIND_STEP;
    task[TASK_INV_Z] = c.invZ;
    task[TASK_MOMENTUM] = c.momentum;
    task[TASK_LEARNING_RATE] = c.learningRate;
    task[TASK_MIN_GAIN] = c.minGain;
    task[TASK_MAX_STEP2] = c.maxStep2;
    const [s0, s1] = stepRangeOf(n, 0, this.threads);
    const blockSums = this.step.blockSums;
    this.runTask(() => this.steps.descend(state, c, s0, s1, blockSums));
    const mean = this.step.mean;
    meanFromBlocks(this.step.blockSums, n, dims, mean);
    for (let k = 0; k < dims; k++) task[TASK_MEAN + k] = mean[k];
    task[TASK_KIND] = KIND_RECENTRE;
    const range = this.ranges.subarray(0, 2);
    this.runTask(() => this.steps.recentre(y, mean, s0, s1, range));
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < this.threads; t++) {
      lo = Math.min(lo, this.ranges[2 * t]);
      hi = Math.max(hi, this.ranges[2 * t + 1]);
    }
    this.knownRange = { positions: y, lo, hi };
  }

  normalisation(positions: Float64Array, scratch: Float64Array): number {
    this.knownRange = null;
    if (positions === this.positions && this.attr !== null && this.rep !== null) {
      return this.evaluate(positions, 1, this.attr, this.rep);
    }
    // Arrays the workers do not know: compute here.
    const n = this.p.n;
    if (this.method === 'fft' || (this.method === 'adaptive' && fftIsCheaper(n, span2d(positions, n)))) {
      return new FftRepulsion2d().compute(positions, n, scratch);
    }
    this.tree.build(positions, n);
    const flat = new FlatTree(this.dims);
    flat.fill(this.tree, n);
    const zPoint = new Float64Array(n);
    repulsiveForcesBhShare(flat, n, positions, this.theta, scratch, zPoint, 0, 1, this.list);
    return sumInOrder(zPoint, n);
  }

  dispose(): void {
    if (this.workers.length === 0) return;
    this.task[TASK_KIND] = KIND_EXIT;
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
    for (const w of this.workers) void w.terminate();
    for (const port of this.ports) port.close();
    this.workers.length = 0;
  }
}

/** A copy of P in shared memory (a WebAssembly memory when it fits, attraction-memory.ts). */
function sharedCsr(p: CsrMatrix): CsrMatrix {
  const inWasm = csrInWasmMemory(p.n, p.cols.length);
  if (inWasm !== null) {
    inWasm.rowPtr.set(p.rowPtr);
    inWasm.cols.set(p.cols);
    inWasm.vals.set(p.vals);
    return inWasm;
  }
  const rowPtr = int32Array(p.rowPtr.length, true);
  rowPtr.set(p.rowPtr);
  const cols = int32Array(p.cols.length, true);
  cols.set(p.cols);
  const vals = new Float32Array(new SharedArrayBuffer(4 * p.vals.length));
  vals.set(p.vals);
  return { n: p.n, rowPtr, cols, vals };
}
