/**
 * The WebAssembly build of the FFT repulsion's point steps (asm/fft-points.ts, compiled to
 * wasm/fft-points.wasm): spreading the charges onto the grids and gathering the forces, with the same
 * numbers as `spreadCharges` and `gatherForces` (gradient-fft.ts), bit for bit, in under half their
 * time at a million points (bench/README.md).
 *
 * The module imports a shared memory, an arena (wasm-arena.ts) that holds the grids and the point
 * arrays it works on: every array given to a kernel must be a view of that memory, since the kernel
 * reads it by its byte offset. Each thread makes its own kernel on the same memory.
 */
import { reserveInArena } from '../wasm-arena.js';
import { instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import type { FftGrids, GridPlan } from './gradient-fft.js';

interface FftPointExports {
  spread(
    y: number,
    n: number,
    lo: number,
    inv: number,
    nBoxes: number,
    m: number,
    re: number,
    im: number,
    grid: number,
    scratch: number,
  ): void;
  gather(
    y: number,
    from: number,
    to: number,
    lo: number,
    inv: number,
    nBoxes: number,
    m: number,
    aRe: number,
    aIm: number,
    bRe: number,
    bIm: number,
    out: number,
    z: number,
    scratch: number,
  ): void;
}

/** True when the WebAssembly point steps can run on this thread. */
export function fftPointsAvailable(): boolean {
  return wasmAvailable('fft-points');
}

export class FftPointKernel {
  private readonly exports: FftPointExports;
  /** This instance's 48 bytes for a point's weights. */
  private readonly scratch: number;

  /** A kernel on `memory`, the arena that holds the grids and point arrays it will be given. */
  constructor(memory: WasmMemory) {
    this.exports = instantiateWasm<FftPointExports>('fft-points', memory);
    this.scratch = reserveInArena(memory, 48);
  }

  /** `spreadCharges`: zeroes grid `grid` (0: a, 1: b) and spreads the charges of points [0, n) of `y`. */
  spread(grids: FftGrids, y: Float64Array, n: number, plan: GridPlan, grid: 0 | 1): void {
    const re = grid === 0 ? grids.aRe : grids.bRe;
    const im = grid === 0 ? grids.aIm : grids.bIm;
    const { lo, boxWidth, nBoxes, m } = plan;
    this.exports.spread(
      y.byteOffset,
      n,
      lo,
      1 / boxWidth,
      nBoxes,
      m,
      re.byteOffset,
      im.byteOffset,
      grid,
      this.scratch,
    );
  }

  /** `gatherForces`: forces of points [start, end) into `out` and their shares of Z into `zPoint`. */
  gather(
    grids: FftGrids,
    y: Float64Array,
    plan: GridPlan,
    out: Float64Array,
    zPoint: Float64Array,
    start: number,
    end: number,
  ): void {
    const { lo, boxWidth, nBoxes, m } = plan;
    const { aRe, aIm, bRe, bIm } = grids;
    this.exports.gather(
      y.byteOffset,
      start,
      end,
      lo,
      1 / boxWidth,
      nBoxes,
      m,
      aRe.byteOffset,
      aIm.byteOffset,
      bRe.byteOffset,
      bIm.byteOffset,
      out.byteOffset,
      zPoint.byteOffset,
      this.scratch,
    );
  }
}
