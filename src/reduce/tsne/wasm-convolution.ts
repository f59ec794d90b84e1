/**
 * The WebAssembly build of the grid convolution (asm/fft-convolution.ts, compiled to
 * wasm/fft-convolution.wasm by `npm run build:wasm`, which `npm ci` runs through `prepare`): the same
 * FFT with 128-bit SIMD, two interleaved sequences per instruction. It computes the same numbers as
 * the TypeScript FFT (fft.ts), bit for bit; measured faster per convolution (bench/README.md).
 *
 * Each thread compiles the module once (wasm-modules.ts) and gives each KernelConvolution2d its own
 * instance, whose memory holds every buffer of the convolution: the TypeScript side works on
 * Float64Array views of that memory, so nothing is copied besides the grid going in and out. When the file is missing or
 * WebAssembly cannot run, `wasmConvolutionAvailable()` is false and the TypeScript FFT does the work.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import type { FftPlan } from './fft.js';

interface ConvolutionExports {
  memory: WasmMemory;
  convolve(
    m: number,
    cRe: number,
    cIm: number,
    dRe: number,
    dIm: number,
    tRe: number,
    tIm: number,
    kHat: number,
    table: number,
  ): void;
}

/** True when the WebAssembly convolution can run on this thread. */
export function wasmConvolutionAvailable(): boolean {
  return wasmAvailable('fft-convolution');
}

/** The seven L x L work arrays of one convolution, as views of the instance's memory. */
export interface ConvolutionBuffers {
  cRe: Float64Array;
  cIm: Float64Array;
  dRe: Float64Array;
  dIm: Float64Array;
  tRe: Float64Array;
  tIm: Float64Array;
  kHat: Float64Array;
}

const BUFFER_NAMES = ['cRe', 'cIm', 'dRe', 'dIm', 'tRe', 'tIm', 'kHat'] as const;

/** One WebAssembly instance laid out for one circulant side L and its FFT plan. */
export class WasmConvolution {
  private readonly exports: ConvolutionExports;
  private size = -1;
  private readonly offsets: number[] = [];
  private table = 0;

  constructor() {
    this.exports = instantiateWasm<ConvolutionExports>('fft-convolution');
  }

  /**
   * Lays the memory out for side L = plan.n (growing it when needed) and writes the plan's stage
   * table and twiddles; returns fresh views of the work arrays (earlier views may be detached).
   */
  layout(plan: FftPlan): ConvolutionBuffers {
    const L = plan.n;
    const stages = plan.stages;
    let off = 0;
    const table = off;
    off = align(off + 4 + 16 * stages.length);
    const twiddles: number[] = [];
    for (const st of stages) {
      twiddles.push(off);
      off = align(off + 8 * st.twRe.length);
      twiddles.push(off);
      off = align(off + 8 * st.twIm.length);
    }
    this.offsets.length = 0;
    for (let k = 0; k < BUFFER_NAMES.length; k++) {
      this.offsets.push(off);
      off = align(off + 8 * L * L);
    }
    ensureWasmMemory(this.exports.memory, off);
    const buffer = this.exports.memory.buffer;
    const head = new Int32Array(buffer, table, 1 + 4 * stages.length);
    head[0] = stages.length;
    stages.forEach((st, k) => {
      head[1 + 4 * k] = st.radix;
      head[2 + 4 * k] = st.n;
      head[3 + 4 * k] = twiddles[2 * k];
      head[4 + 4 * k] = twiddles[2 * k + 1];
      new Float64Array(buffer, twiddles[2 * k], st.twRe.length).set(st.twRe);
      new Float64Array(buffer, twiddles[2 * k + 1], st.twIm.length).set(st.twIm);
    });
    this.table = table;
    this.size = L;
    const view = (k: number) => new Float64Array(buffer, this.offsets[k], L * L);
    return {
      cRe: view(0),
      cIm: view(1),
      dRe: view(2),
      dIm: view(3),
      tRe: view(4),
      tIm: view(5),
      kHat: view(6),
    };
  }

  /**
   * The convolution of the m x m grid held in the first m * m values of `cRe`/`cIm`, result in the
   * same place (m = L / 2 of the last `layout`; kHat scaled by 1 / L^2).
   */
  convolve(m: number): void {
    if (2 * m !== this.size) throw new Error(`grid side ${m} does not match the layout (${this.size})`);
    const o = this.offsets;
    this.exports.convolve(m, o[0], o[1], o[2], o[3], o[4], o[5], o[6], this.table);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
