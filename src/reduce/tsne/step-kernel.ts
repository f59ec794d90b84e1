/**
 * The WebAssembly build of the 2D descent step and re-centring (asm/gradient-step.ts, compiled to
 * wasm/gradient-step.wasm): `descendRange` and `recentreRange` of gradient-step.ts, the same numbers
 * bit for bit, in a third of their time at a million points (bench/README.md).
 *
 * The module imports a shared memory, the arena the parallel engine keeps its point arrays in
 * (gradient-fft.ts `FftRepulsion2d.allocate`): every array given to a kernel must be a view of that
 * memory, since the kernel reads it by its byte offset. Each thread makes its own kernel.
 */
import { instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import {
  GAIN_DECAY,
  GAIN_INCREASE,
  STEP_BLOCK,
  type StepCoefficients,
  type StepState,
} from './gradient-step.js';

interface StepExports {
  descend2d(
    y: number,
    update: number,
    gains: number,
    attr: number,
    rep: number,
    from: number,
    to: number,
    invZ: number,
    momentum: number,
    learningRate: number,
    minGain: number,
    maxStep2: number,
    gainIncrease: number,
    gainDecay: number,
    blockSums: number,
    block: number,
  ): void;
  recentre2d(y: number, from: number, to: number, meanX: number, meanY: number, range: number): void;
}

export class StepKernel2d {
  private readonly exports: StepExports;

  /** A kernel on `memory`, the arena that holds the arrays it will be given. */
  constructor(memory: WasmMemory) {
    this.exports = instantiateWasm<StepExports>('gradient-step', memory);
  }

  /** A kernel on `memory`, or null when the module is not built (callers use gradient-step.ts). */
  static on(memory: WasmMemory | null): StepKernel2d | null {
    return memory !== null && wasmAvailable('gradient-step') ? new StepKernel2d(memory) : null;
  }

  /** `descendRange` in 2D. */
  descend(s: StepState, c: StepCoefficients, from: number, to: number, blockSums: Float64Array): void {
    this.exports.descend2d(
      s.positions.byteOffset,
      s.update.byteOffset,
      s.gains.byteOffset,
      s.attr.byteOffset,
      s.rep.byteOffset,
      from,
      to,
      c.invZ,
      c.momentum,
      c.learningRate,
      c.minGain,
      c.maxStep2,
      GAIN_INCREASE,
      GAIN_DECAY,
      blockSums.byteOffset,
      STEP_BLOCK,
    );
  }

  /** `recentreRange` in 2D. */
  recentre(y: Float64Array, mean: Float64Array, from: number, to: number, range: Float64Array): void {
    this.exports.recentre2d(y.byteOffset, from, to, mean[0], mean[1], range.byteOffset);
  }
}
