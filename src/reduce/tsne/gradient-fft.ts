/**
 * FFT-accelerated interpolation of the t-SNE repulsion in 2D (Linderman, Rachh, Hoskins, Steinerberger
 * & Kluger 2019, "Fast interpolation-based t-SNE for improved visualization of single-cell RNA-seq
 * data", Nature Methods; FIt-SNE `nbodyfft.cpp`; openTSNE `_tsne.pyx: estimate_negative_gradient_fft_2d`).
 *
 * The embedding's bounding square is cut into n_boxes x n_boxes boxes with 3 interpolation nodes per
 * box and dimension, at the centres of the box's thirds, so the nodes form one equispaced grid of
 * m = 3 n_boxes points per axis. Each point spreads its charges onto the 3 x 3 nodes of its box with
 * Lagrange weights; the kernel K(d) = 1 / (1 + |d|^2)^2 is applied on the grid as a discrete
 * convolution (a Toeplitz product, embedded in a 2m x 2m circulant and done with our FFT); the
 * potentials are interpolated back with the same weights. Four charges per point give everything:
 *   phi1 = sum_j K_ij, phi2 = sum_j K_ij x_j, phi3 = sum_j K_ij y_j, phi4 = sum_j K_ij |y_j|^2
 *   sum_j w_ij^2 (y_i - y_j) = y_i phi1 - (phi2, phi3)                (unnormalised repulsion)
 *   Z = sum_i [(1 + |y_i|^2) phi1 - 2 y_i . (phi2, phi3) + phi4] - N  (since w = (1 + d^2) K, w_ii = 1)
 *
 * Grid size rule (openTSNE): boxes at most INTERVAL_WIDTH = 1 embedding unit wide (the kernel varies on
 * that scale) and never fewer than MIN_INTERVALS = 50 over the span (largest minus smallest coordinate
 * over both axes; one square grid, as openTSNE). openTSNE then rounds the count up to a size FFTW
 * handles fast; we round up to the next 2^a 3^b 5^c integer, which makes the circulant length 6 n_boxes
 * a length our mixed-radix FFT handles without padding. One difference: openTSNE fits the boxes to the
 * span exactly, so the box width, and with it the kernel's spectrum, changes at every iteration. We fit
 * them to the span rounded up to a ladder of 2^(j / 16) (j integer; at most 4.4% more), so the grid
 * reaches a little past the largest coordinate and stays the same until the span grows past the next
 * rung: the kernel spectrum (about a tenth of the work of a grid convolution) is recomputed roughly
 * once every 10 iterations instead of every iteration. Boxes stay at most 1.02 units wide.
 * Measured on a converged 10k-point embedding (span ~85): Z within 0.04% and forces within 1% (relative
 * L2) of the exact sums, where Barnes-Hut at theta 0.5 gives 0.9% and 1.4%; boxes two units wide gave
 * 10% force error, so we keep the rule although the grid dominates the cost at moderate N.
 *
 * The grid convolution itself, with the savings that make it affordable, is fft-convolution.ts. The
 * point steps, spreading and gathering, run in WebAssembly when it is built (fft-points.ts), on grids
 * kept in a WebAssembly memory; each point's box and weights are computed where they are used, not
 * stored (48 bytes a point fewer, and no pass of its own).
 */
import { arenaFloat64, createWasmArena } from '../wasm-arena.js';
import type { WasmMemory } from '../wasm-modules.js';
import { nextSmooth } from './fft.js';
import { KernelConvolution2d } from './fft-convolution.js';
import { type FftGrids, FftPointSteps, fftPointsAvailable, type GridPlan } from './fft-points.js';
import { sumInOrder } from './gradient-bh.js';
import { float64Array } from './shared-arrays.js';

/** Interpolation nodes per box and dimension (Linderman et al. 2019; openTSNE/FIt-SNE default). */
export const INTERPOLATION_POINTS = 3;
/** Lower bound on boxes per dimension (openTSNE `min_num_intervals`, FIt-SNE default 50). */
export const MIN_INTERVALS = 50;
/** Largest box side in embedding units (openTSNE `ints_in_interval` = 1). */
export const INTERVAL_WIDTH = 1;

/** Rungs per doubling of the ladder the span is rounded up to (see above). */
export const SPAN_STEPS_PER_OCTAVE = 16;

/** Boxes per dimension and box width for an embedding whose bounding square has side `span`. */
export function gridFor(span: number): { nBoxes: number; boxWidth: number } {
  // A zero span (all points together) still needs a positive box width.
  const s = Math.max(span, 1e-9);
  const rung = 2 ** (Math.ceil(Math.log2(s) * SPAN_STEPS_PER_OCTAVE) / SPAN_STEPS_PER_OCTAVE);
  const rounded = Math.max(s, rung);
  const nBoxes = nextSmooth(Math.max(MIN_INTERVALS, Math.floor(rounded / INTERVAL_WIDTH)));
  return { nBoxes, boxWidth: rounded / nBoxes };
}

/** Smallest and largest coordinate over both axes of an n x 2 layout (the grid's square spans them). */
export function coordinateRange(positions: Float64Array, n: number): { lo: number; hi: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 2 * n; i++) {
    const v = positions[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi };
}

/** Boxes per dimension for an embedding whose bounding square has side `span`. */
export function boxesFor(span: number): number {
  return gridFor(span).nBoxes;
}

/** Cells a grid's arrays are given beyond the m x m needed, so that a widening map reallocates rarely. */
const GRID_GROWTH = 1.5;

/**
 * Reusable grids, point arrays and FFT plans for repeated evaluations (one instance per
 * optimisation). With WebAssembly the grids live in a WebAssembly memory (`memory`) where the point
 * kernels work; `allocate` hands out point arrays in the same memory, which the kernels then read in
 * place (the parallel engine's), and `compute` copies other positions in.
 */
export class FftRepulsion2d {
  private readonly conv = new KernelConvolution2d();
  /** Bumped whenever the grids are reallocated (the parallel engine re-sends them). */
  version = 0;
  /** The arena of the grids and of `allocate`'s arrays; null when the point kernels are not built. */
  readonly memory: WasmMemory | null;
  private readonly points: FftPointSteps;
  readonly grids: FftGrids = {
    aRe: new Float64Array(0),
    aIm: new Float64Array(0),
    bRe: new Float64Array(0),
    bIm: new Float64Array(0),
  };
  /** `compute`'s positions, forces and shares of Z (in the arena when there is one). */
  private scratch: { y: Float64Array; out: Float64Array; z: Float64Array } | null = null;
  /** Boxes per dimension used by the last evaluation. */
  lastBoxes = 0;

  /**
   * `shared`: arrays in SharedArrayBuffers, for worker threads (a WebAssembly arena is shared anyway).
   * `useWasm` false: the TypeScript point steps (tests compare both).
   */
  constructor(
    private readonly shared = false,
    useWasm = true,
  ) {
    this.memory = useWasm && fftPointsAvailable() ? createWasmArena(0) : null;
    this.points = new FftPointSteps(this.memory);
  }

  /** True when the point steps run in WebAssembly. */
  get usesWasm(): boolean {
    return this.points.usesWasm;
  }

  /** A zeroed array the point steps read in place: in the arena when there is one. */
  allocate(length: number): Float64Array {
    return this.memory ? arenaFloat64(this.memory, length) : float64Array(length, this.shared);
  }

  /**
   * Unnormalised repulsive forces sum_j w_ij^2 (y_i - y_j) for all n points into `out` (n x 2),
   * returning Z = sum_{i != j} w_ij. `positions` is n x 2 row-major.
   */
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    const plan = this.planGrid(positions, n);
    if (this.scratch === null || this.scratch.z.length < n) {
      this.scratch = { y: this.allocate(2 * n), out: this.allocate(2 * n), z: this.allocate(n) };
    }
    const { y, out: forces, z } = this.scratch;
    y.set(positions.subarray(0, 2 * n));
    this.spread(y, n, plan, 0);
    this.spread(y, n, plan, 1);
    this.conv.setGrid(plan.m, plan.h);
    this.conv.convolve(this.grids.aRe, this.grids.aIm);
    this.conv.convolve(this.grids.bRe, this.grids.bIm);
    this.gather(y, plan, forces, z, 0, n);
    out.set(forces.subarray(0, 2 * n));
    return sumInOrder(z, n);
  }

  /** `spreadCharges` (fft-points.ts) onto this instance's grids; `y` must come from `allocate`. */
  spread(y: Float64Array, n: number, plan: GridPlan, grid: 0 | 1): void {
    this.points.spread(this.grids, y, n, plan, grid);
  }

  /** `gatherForces` (fft-points.ts) from this instance's grids; `y`, `out` and `zPoint` must come from `allocate`. */
  gather(
    y: Float64Array,
    plan: GridPlan,
    out: Float64Array,
    zPoint: Float64Array,
    start: number,
    end: number,
  ): void {
    this.points.gather(this.grids, y, plan, out, zPoint, start, end);
  }

  /**
   * Chooses the grid for the current span (growing the grids when needed); returns nodes per axis m,
   * node spacing h and where the boxes lie. `range`: the layout's smallest and largest coordinate,
   * when the caller already knows them.
   */
  planGrid(positions: Float64Array, n: number, range?: { lo: number; hi: number }): GridPlan {
    const { lo, hi } = range ?? coordinateRange(positions, n);
    const { nBoxes, boxWidth } = gridFor(hi - lo);
    this.lastBoxes = nBoxes;
    const m = INTERPOLATION_POINTS * nBoxes;
    this.prepareGrids(m);
    return { m, h: boxWidth / INTERPOLATION_POINTS, lo, boxWidth, nBoxes };
  }

  /** Grows the grids to hold m x m nodes (for a plan made elsewhere, as the placement's). */
  prepareGrids(m: number): void {
    if (this.grids.aRe.length >= m * m) return;
    const cells = Math.ceil(m * m * GRID_GROWTH);
    this.grids.aRe = this.allocate(cells);
    this.grids.aIm = this.allocate(cells);
    this.grids.bRe = this.allocate(cells);
    this.grids.bIm = this.allocate(cells);
    this.version++;
  }
}
