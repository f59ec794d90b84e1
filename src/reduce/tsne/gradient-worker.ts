/**
 * Worker thread of the parallel gradient engine (protocol in parallel-protocol.ts). Thread t computes
 * the attractive forces of its fixed row range and, with Barnes-Hut, the repulsion of the chunks of
 * the tree's point groups it takes; with FFT interpolation, thread 1 convolves the second charge grid.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { CsrMatrix } from './affinities.js';
import { AttractionKernel } from './attraction-kernel.js';
import { KernelConvolution2d } from './fft-convolution.js';
import { type FftGrids, FftPointSteps } from './fft-points.js';
import { repulsiveForcesBhShared } from './gradient-bh.js';
import { InteractionList } from './gradient-bh-grouped.js';
import { stepRangeOf } from './gradient-step.js';
import {
  attractionRangeBesideTree,
  attractionRowsOf,
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
  rangeOf,
  readGridPlan,
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
  TASK_THETA,
  type WorkerFailure,
  type WorkerMessage,
} from './parallel-protocol.js';
import { FlatTree } from './sptree.js';
import { DescentSteps } from './step-kernel.js';

const control = new Int32Array(workerData.control as SharedArrayBuffer);
const port = workerData.port as MessagePort;

type Setup = Extract<WorkerMessage, { type: 'setup' }>;
let setup: Setup | null = null;
let stepArrays: Extract<WorkerMessage, { type: 'step' }> | null = null;
let p: CsrMatrix | null = null;
let flat: FlatTree | null = null;
let grids: FftGrids | null = null;
/** The point and descent steps, in WebAssembly on the engine's arena when it has one. */
let points: FftPointSteps | null = null;
let steps: DescentSteps | null = null;
let attraction: AttractionKernel | null = null;
const conv = new KernelConvolution2d();
const list = new InteractionList();

function apply(msg: WorkerMessage): void {
  if (msg.type === 'setup') {
    setup = msg;
    p = { n: msg.n, rowPtr: msg.rowPtr, cols: msg.cols, vals: msg.vals, memory: msg.pMemory };
    const [r0, r1] = attractionRowsOf(msg.n, msg.thread, msg.threads);
    attraction = new AttractionKernel(p, msg.dims, r0, r1);
    flat = new FlatTree(msg.dims);
    points = new FftPointSteps(msg.arena);
    steps = new DescentSteps(msg.arena, msg.dims);
  } else if (msg.type === 'tree') {
    flat!.nodes = msg.nodes;
    flat!.order = msg.order;
  } else if (msg.type === 'step') {
    stepArrays = msg;
  } else {
    grids = msg.grids;
  }
}

function run(): void {
  const s = setup!;
  const task = s.task;
  const kind = task[TASK_KIND];
  const exaggeration = task[TASK_EXAGGERATION];
  if (kind === KIND_ATTRACTIVE) {
    // While the main thread builds the tree, the workers take most of the attractive forces.
    const [a0, a1] = attractionRangeBesideTree(s.n, s.thread, s.threads);
    attraction!.compute(s.positions, exaggeration, s.attr, a0, a1);
  } else if (kind === KIND_BH) {
    const f = flat!;
    f.size = task[TASK_FLAT_SIZE];
    repulsiveForcesBhShared(f, s.n, s.positions, task[TASK_THETA], s.rep, s.zPoint, list, control, NEXT);
  } else if (kind === KIND_FFT) {
    const [a0, a1] = rangeOf(s.n, s.thread, s.threads);
    if (s.thread === 1) {
      const plan = readGridPlan(task);
      points!.spread(grids!, s.positions, s.n, plan, 1);
      conv.setGrid(plan.m, plan.h);
      conv.convolve(grids!.bRe, grids!.bIm);
    }
    attraction!.compute(s.positions, exaggeration, s.attr, a0, a1);
  } else if (kind === KIND_FFT_GATHER) {
    const [a0, a1] = rangeOf(s.n, s.thread, s.threads);
    points!.gather(grids!, s.positions, readGridPlan(task), s.rep, s.zPoint, a0, a1);
  } else if (kind === KIND_STEP) {
    const st = stepArrays!;
    const [s0, s1] = stepRangeOf(s.n, s.thread, s.threads);
    const state = { positions: s.positions, update: st.update, gains: st.gains, attr: s.attr, rep: s.rep };
    const coefficients = {
      invZ: task[TASK_INV_Z],
      momentum: task[TASK_MOMENTUM],
      learningRate: task[TASK_LEARNING_RATE],
      minGain: task[TASK_MIN_GAIN],
      maxStep2: task[TASK_MAX_STEP2],
    };
    steps!.descend(state, coefficients, s0, s1, st.blockSums);
  } else if (kind === KIND_RECENTRE) {
    const st = stepArrays!;
    const [s0, s1] = stepRangeOf(s.n, s.thread, s.threads);
    const mean = task.subarray(TASK_MEAN, TASK_MEAN + s.dims);
    steps!.recentre(s.positions, mean, s0, s1, st.ranges.subarray(2 * s.thread, 2 * s.thread + 2));
  }
}

parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(control, SEQ, seen);
  seen = Atomics.load(control, SEQ);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
    apply(m.message as WorkerMessage);
  const current = setup as Setup | null;
  if (current !== null && current.task[TASK_KIND] === KIND_EXIT) break;
  try {
    run();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const failure: WorkerFailure = {
      type: 'failed',
      thread: (setup as Setup | null)?.thread ?? -1,
      message: err.message,
      stack: err.stack,
    };
    port.postMessage(failure);
    Atomics.store(control, FAILED, 1);
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}
port.close();
