/**
 * The point side of the FFT-interpolated repulsion (gradient-fft.ts): spreading every point's charges
 * onto the 3 x 3 interpolation nodes of its box, and gathering the convolved potentials back into
 * forces. Each point's box and Lagrange weights are computed where they are used, not stored.
 *
 * `FftPointSteps` runs them in WebAssembly (asm/fft-points.ts, compiled to wasm/fft-points.wasm) when
 * it is given a memory and the module is built, else by `spreadCharges` and `gatherForces` below: the
 * same numbers either way, bit for bit, the WebAssembly in under half the time at a million points
 * (bench/README.md). The module imports a shared memory, an arena (wasm-arena.ts) that holds the grids
 * and the point arrays: every array given to WebAssembly steps must be a view of that memory, since the
 * kernel reads it by its byte offset. Each thread makes its own steps on the same memory.
 */
import { reserveInArena } from '../wasm-arena.js';
import { instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';

/**
 * The two charge grids of an evaluation, m x m row-major (row: y node, column: x node): a = 1 + i x
 * and b = y + i |y|^2, which hold the potentials after convolution.
 */
export interface FftGrids {
  aRe: Float64Array;
  aIm: Float64Array;
  bRe: Float64Array;
  bIm: Float64Array;
}

/** A grid chosen for a layout (`FftRepulsion2d.planGrid`). */
export interface GridPlan {
  /** Nodes per axis and their spacing. */
  m: number;
  h: number;
  /** The grid's lower corner (lo, lo), box side and boxes per axis. */
  lo: number;
  boxWidth: number;
  nBoxes: number;
}

/**
 * The box of coordinate `v` along one axis of `plan`'s grid (points outside the grid count in its edge
 * boxes), with its Lagrange weights for the box's 3 nodes into w[at..at + 3). asm/fft-points.ts does
 * the same operations.
 */
function axisWeights(
  v: number,
  lo: number,
  inv: number,
  nBoxes: number,
  w: Float64Array,
  at: number,
): number {
  const u = (v - lo) * inv;
  const f = Math.floor(u);
  // The maximum lands on the upper edge of the last box.
  // biome-ignore lint/complexity/useMathMinMax: NaN gives box 0 here, as in asm/fft-points.ts (Math.max would keep NaN)
  const b = f >= nBoxes ? nBoxes - 1 : f > 0 ? f : 0;
  // Position in node units: the nodes sit at t = 0.5, 1.5, 2.5 within the box.
  const t = (u - b) * 3;
  w[at] = 0.5 * (t - 1.5) * (t - 2.5);
  w[at + 1] = -(t - 0.5) * (t - 2.5);
  w[at + 2] = 0.5 * (t - 0.5) * (t - 1.5);
  return b;
}

/** Charge grid 0 (a = 1 + i x) or 1 (b = y + i |y|^2): zeroed, then the charges of points [0, n) of `y` spread onto it. */
export function spreadCharges(
  grids: FftGrids,
  y: Float64Array,
  n: number,
  plan: GridPlan,
  grid: 0 | 1,
): void {
  const { lo, nBoxes, m } = plan;
  const inv = 1 / plan.boxWidth;
  const re = grid === 0 ? grids.aRe : grids.bRe;
  const im = grid === 0 ? grids.aIm : grids.bIm;
  re.fill(0, 0, m * m);
  im.fill(0, 0, m * m);
  const w = new Float64Array(6);
  for (let i = 0; i < n; i++) {
    const px = y[2 * i];
    const py = y[2 * i + 1];
    const col0 = 3 * axisWeights(px, lo, inv, nBoxes, w, 0);
    const row0 = 3 * axisWeights(py, lo, inv, nBoxes, w, 3);
    const cRe = grid === 0 ? 1 : py;
    const cIm = grid === 0 ? px : px * px + py * py;
    for (let a = 0; a < 3; a++) {
      const rowBase = (row0 + a) * m + col0;
      const wa = w[3 + a];
      for (let b = 0; b < 3; b++) {
        const wab = wa * w[b];
        re[rowBase + b] += wab * cRe;
        im[rowBase + b] += wab * cIm;
      }
    }
  }
}

/**
 * After both grids were convolved: the forces of points [start, end) into `out` (n x 2), and each
 * point's share of Z, sum_{j != i} w_ij, into `zPoint` (callers add them up in index order).
 */
export function gatherForces(
  grids: FftGrids,
  y: Float64Array,
  plan: GridPlan,
  out: Float64Array,
  zPoint: Float64Array,
  start: number,
  end: number,
): void {
  const { aRe, aIm, bRe, bIm } = grids;
  const { lo, nBoxes, m } = plan;
  const inv = 1 / plan.boxWidth;
  const w = new Float64Array(6);
  for (let i = start; i < end; i++) {
    const px = y[2 * i];
    const py = y[2 * i + 1];
    const col0 = 3 * axisWeights(px, lo, inv, nBoxes, w, 0);
    const row0 = 3 * axisWeights(py, lo, inv, nBoxes, w, 3);
    let phi1 = 0;
    let phi2 = 0;
    let phi3 = 0;
    let phi4 = 0;
    for (let a = 0; a < 3; a++) {
      const rowBase = (row0 + a) * m + col0;
      const wa = w[3 + a];
      for (let b = 0; b < 3; b++) {
        const wab = wa * w[b];
        const g = rowBase + b;
        phi1 += wab * aRe[g];
        phi2 += wab * aIm[g];
        phi3 += wab * bRe[g];
        phi4 += wab * bIm[g];
      }
    }
    // w_ii = 1 is in the sum; take it out.
    zPoint[i] = (1 + px * px + py * py) * phi1 - 2 * (px * phi2 + py * phi3) + phi4 - 1;
    out[2 * i] = px * phi1 - phi2;
    out[2 * i + 1] = py * phi1 - phi3;
  }
}

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

/** The point steps on one thread: in WebAssembly on `memory` when there is one, else in TypeScript. */
export class FftPointSteps {
  private readonly exports: FftPointExports | null;
  /** This instance's 48 bytes for a point's weights, in `memory`. */
  private readonly scratch: number = 0;

  /** Steps on `memory`, the arena that holds the grids and point arrays they will be given (null: TypeScript). */
  constructor(memory: WasmMemory | null) {
    this.exports =
      memory !== null && fftPointsAvailable() ? instantiateWasm<FftPointExports>('fft-points', memory) : null;
    if (memory !== null && this.exports !== null) this.scratch = reserveInArena(memory, 48);
  }

  /** True when the steps run in WebAssembly. */
  get usesWasm(): boolean {
    return this.exports !== null;
  }

  /** `spreadCharges`: zeroes grid `grid` (0: a, 1: b) and spreads the charges of points [0, n) of `y`. */
  spread(grids: FftGrids, y: Float64Array, n: number, plan: GridPlan, grid: 0 | 1): void {
    if (this.exports === null) {
      spreadCharges(grids, y, n, plan, grid);
      return;
    }
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
    if (this.exports === null) {
      gatherForces(grids, y, plan, out, zPoint, start, end);
      return;
    }
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
