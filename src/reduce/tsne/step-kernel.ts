/**
 * The descent step and re-centring of the parallel engine's threads: `descendRange` and
 * `recentreRange` of gradient-step.ts, in WebAssembly for 2D maps when given a memory and the module
 * is built (asm/gradient-step.ts, compiled to wasm/gradient-step.wasm; the same numbers bit for bit,
 * in a quarter of their time at a million points: bench/README.md), else in TypeScript.
 *
 * The module imports a shared memory, the arena the parallel engine keeps its point arrays in
 * (gradient-fft.ts `FftRepulsion2d.allocate`): every array given to WebAssembly steps must be a view
 * of that memory, since the kernel reads it by its byte offset. Each thread makes its own steps.
 */
import { instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import {
  descendRange,
  GAIN_DECAY,
  GAIN_INCREASE,
  recentreRange,
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

export class DescentSteps {
  private readonly exports: StepExports | null;

  /** Steps for `dims`-D maps on `memory`, the arena of the arrays they will be given (null: TypeScript). */
  constructor(
    memory: WasmMemory | null,
    private readonly dims: 2 | 3,
  ) {
    this.exports =
      memory !== null && dims === 2 && wasmAvailable('gradient-step')
        ? instantiateWasm<StepExports>('gradient-step', memory)
        : null;
  }

  /** `descendRange`. */
  descend(s: StepState, c: StepCoefficients, from: number, to: number, blockSums: Float64Array): void {
    if (this.exports === null) {
      descendRange(s, this.dims, c, from, to, blockSums);
      return;
    }
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

  /** `recentreRange`. */
  recentre(y: Float64Array, mean: Float64Array, from: number, to: number, range: Float64Array): void {
    if (this.exports === null) recentreRange(y, this.dims, mean, from, to, range);
    else this.exports.recentre2d(y.byteOffset, from, to, mean[0], mean[1], range.byteOffset);
  }
}
