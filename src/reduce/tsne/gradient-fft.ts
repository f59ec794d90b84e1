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
 * The grid convolution itself, with the savings that make it affordable, is fft-convolution.ts.
 */
import { nextSmooth } from './fft.js';
import { KernelConvolution2d } from './fft-convolution.js';
import { sumInOrder } from './gradient-bh.js';
import { float64Array, int32Array } from './shared-arrays.js';

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

/**
 * Everything one evaluation shares between its steps (and, in SharedArrayBuffers, between threads):
 * the charge grids, m x m row-major (row: y node, column: x node), a = 1 + i x and b = y + i |y|^2,
 * which hold the potentials after convolution; and per point its box and its Lagrange weights for
 * the box's 3 nodes per axis.
 */
export interface FftGridState {
  aRe: Float64Array;
  aIm: Float64Array;
  bRe: Float64Array;
  bIm: Float64Array;
  boxX: Int32Array;
  boxY: Int32Array;
  wx: Float64Array;
  wy: Float64Array;
}

/** Charge grid 0 (a = 1 + i x) or 1 (b = y + i |y|^2): zeroed, then every point's charges spread onto it. */
export function spreadCharges(state: FftGridState, y: Float64Array, n: number, m: number, grid: 0 | 1): void {
  const { boxX, boxY, wx, wy } = state;
  const re = grid === 0 ? state.aRe : state.bRe;
  const im = grid === 0 ? state.aIm : state.bIm;
  re.fill(0, 0, m * m);
  im.fill(0, 0, m * m);
  for (let i = 0; i < n; i++) {
    const px = y[2 * i];
    const py = y[2 * i + 1];
    const cRe = grid === 0 ? 1 : py;
    const cIm = grid === 0 ? px : px * px + py * py;
    const col0 = 3 * boxX[i];
    const row0 = 3 * boxY[i];
    for (let a = 0; a < 3; a++) {
      const rowBase = (row0 + a) * m + col0;
      const wa = wy[3 * i + a];
      for (let b = 0; b < 3; b++) {
        const w = wa * wx[3 * i + b];
        re[rowBase + b] += w * cRe;
        im[rowBase + b] += w * cIm;
      }
    }
  }
}

/**
 * After both grids were convolved: the forces of points [start, end) into `out` (n x 2), and each
 * point's share of Z, sum_{j != i} w_ij, into `zPoint` (callers add them up in index order).
 */
export function gatherForces(
  state: FftGridState,
  y: Float64Array,
  m: number,
  out: Float64Array,
  zPoint: Float64Array,
  start: number,
  end: number,
): void {
  const { aRe, aIm, bRe, bIm, boxX, boxY, wx, wy } = state;
  for (let i = start; i < end; i++) {
    const col0 = 3 * boxX[i];
    const row0 = 3 * boxY[i];
    let phi1 = 0;
    let phi2 = 0;
    let phi3 = 0;
    let phi4 = 0;
    for (let a = 0; a < 3; a++) {
      const rowBase = (row0 + a) * m + col0;
      const wa = wy[3 * i + a];
      for (let b = 0; b < 3; b++) {
        const w = wa * wx[3 * i + b];
        const g = rowBase + b;
        phi1 += w * aRe[g];
        phi2 += w * aIm[g];
        phi3 += w * bRe[g];
        phi4 += w * bIm[g];
      }
    }
    const px = y[2 * i];
    const py = y[2 * i + 1];
    // w_ii = 1 is in the sum; take it out.
    zPoint[i] = (1 + px * px + py * py) * phi1 - 2 * (px * phi2 + py * phi3) + phi4 - 1;
    out[2 * i] = px * phi1 - phi2;
    out[2 * i + 1] = py * phi1 - phi3;
  }
}

/** Reusable buffers and FFT plans for repeated evaluations (one instance per optimisation). */
export class FftRepulsion2d {
  private readonly conv = new KernelConvolution2d();
  /** Bumped whenever the grid state is reallocated (the parallel engine re-sends it). */
  version = 0;
  /** `shared`: keep the grid state in SharedArrayBuffers, for worker threads. */
  constructor(private readonly shared = false) {}
  readonly state: FftGridState = {
    aRe: new Float64Array(0),
    aIm: new Float64Array(0),
    bRe: new Float64Array(0),
    bIm: new Float64Array(0),
    boxX: new Int32Array(0),
    boxY: new Int32Array(0),
    wx: new Float64Array(0),
    wy: new Float64Array(0),
  };
  private zPoint = new Float64Array(0);
  /** Boxes per dimension used by the last evaluation. */
  lastBoxes = 0;

  /**
   * Unnormalised repulsive forces sum_j w_ij^2 (y_i - y_j) for all n points into `out` (n x 2),
   * returning Z = sum_{i != j} w_ij. `positions` is n x 2 row-major.
   */
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    const { m, h } = this.locatePoints(positions, n);
    spreadCharges(this.state, positions, n, m, 0);
    spreadCharges(this.state, positions, n, m, 1);
    this.conv.setGrid(m, h);
    this.conv.convolve(this.state.aRe, this.state.aIm);
    this.conv.convolve(this.state.bRe, this.state.bIm);
    if (this.zPoint.length < n) this.zPoint = new Float64Array(n);
    gatherForces(this.state, positions, m, out, this.zPoint, 0, n);
    return sumInOrder(this.zPoint, n);
  }

  /**
   * Step 1: choose the grid for the current span and find every point's box and weights; returns
   * nodes per axis m and node spacing h. Steps 2 and 3 are `spreadCharges` and `gatherForces`.
   */
  locatePoints(positions: Float64Array, n: number): { m: number; h: number } {
    const plan = this.planGrid(positions, n);
    locateInGrid(this.state, positions, 0, n, plan.lo, plan.boxWidth, plan.nBoxes);
    return plan;
  }

  /**
   * Step 1 without the locating (which callers may split over threads with `locateInGrid`).
   * `range`: the layout's smallest and largest coordinate, when the caller already knows them.
   */
  planGrid(positions: Float64Array, n: number, range?: { lo: number; hi: number }): GridPlan {
    const { lo, hi } = range ?? coordinateRange(positions, n);
    const { nBoxes, boxWidth } = gridFor(hi - lo);
    this.lastBoxes = nBoxes;
    const m = INTERPOLATION_POINTS * nBoxes;
    this.prepare(m, n);
    return { m, h: boxWidth / INTERPOLATION_POINTS, lo, boxWidth, nBoxes };
  }

  private prepare(m: number, n: number): void {
    const st = this.state;
    if (st.aRe.length < m * m) {
      const cap = Math.ceil(m * m * 1.25);
      st.aRe = float64Array(cap, this.shared);
      st.aIm = float64Array(cap, this.shared);
      st.bRe = float64Array(cap, this.shared);
      st.bIm = float64Array(cap, this.shared);
      this.version++;
    }
    if (st.boxX.length < n) {
      st.boxX = int32Array(n, this.shared);
      st.boxY = int32Array(n, this.shared);
      st.wx = float64Array(3 * n, this.shared);
      st.wy = float64Array(3 * n, this.shared);
      this.version++;
    }
  }
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
 * Box of points [from, to) of `y` (n x 2) in a grid of nBoxes x nBoxes boxes of side `boxWidth` whose
 * lower corner is (lo, lo), and its Lagrange weights for the box's 3 nodes per axis. Points outside
 * the grid are counted in its edge boxes.
 */
export function locateInGrid(
  state: FftGridState,
  y: Float64Array,
  from: number,
  to: number,
  lo: number,
  boxWidth: number,
  nBoxes: number,
): void {
  const { boxX, boxY, wx, wy } = state;
  const inv = 1 / boxWidth;
  for (let i = from; i < to; i++) {
    for (let axis = 0; axis < 2; axis++) {
      const u = (y[2 * i + axis] - lo) * inv;
      let b = Math.floor(u);
      if (b >= nBoxes) b = nBoxes - 1; // the maximum lands on the upper edge of the last box
      if (b < 0) b = 0;
      // Position in node units: the nodes sit at t = 0.5, 1.5, 2.5 within the box.
      const t = (u - b) * 3;
      const w = axis === 0 ? wx : wy;
      w[3 * i] = 0.5 * (t - 1.5) * (t - 2.5);
      w[3 * i + 1] = -(t - 0.5) * (t - 2.5);
      w[3 * i + 2] = 0.5 * (t - 0.5) * (t - 1.5);
      if (axis === 0) boxX[i] = b;
      else boxY[i] = b;
    }
  }
}
