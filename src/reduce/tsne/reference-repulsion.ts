/**
 * Repulsion of new points from a fixed reference map (placement, docs/architecture.md section 4),
 * computed against the reference only: the new points do not repel each other (openTSNE
 * `kl_divergence_bh` / `kl_divergence_fft` with a reference embedding). Each new point gets its own
 * normalisation Z_i = sum_j w_ij over the reference points (openTSNE's point-wise normalisation for
 * new points), so the returned force is already divided by Z_i.
 *
 * - `ReferenceTree` (2D and 3D): Barnes-Hut over a tree built once over the reference, walked by each
 *   new point as in gradient-bh.ts (no self-interaction to cancel: new points are not in the tree).
 * - `ReferenceField2d`: the FFT interpolation grid of gradient-fft.ts, convolved once over the
 *   reference, with openTSNE's padding of 25% of the span on every side (`prepare_interpolation_grid`);
 *   each evaluation only interpolates the four potentials at the new points. New points are kept on
 *   the grid (openTSNE clips them to a disc around it).
 */
import { KernelConvolution2d } from './fft-convolution.js';
import type { GridPlan } from './fft-points.js';
import { coordinateRange, FftRepulsion2d, gridFor, INTERPOLATION_POINTS } from './gradient-fft.js';
import { FlatTree, SpTree } from './sptree.js';

export interface FixedRepulsion {
  /** Normalised repulsive forces of the points `y` (n x dims) into `out` (n x dims). */
  forces(y: Float64Array, n: number, out: Float64Array): void;
  /** Moves points that left the region the forces are valid in back to its edge; true for each one moved. */
  confine(y: Float64Array, n: number, moved: Uint8Array): void;
}

/** Share of the reference span added on every side of the interpolation grid (openTSNE: 0.25). */
export const GRID_PADDING = 0.25;

export class ReferenceTree implements FixedRepulsion {
  private readonly flat: FlatTree;

  /** Builds the tree over the reference map (nRef x dims, row-major). */
  constructor(
    reference: Float64Array,
    nRef: number,
    readonly dims: 2 | 3,
    readonly theta: number,
  ) {
    const tree = new SpTree(dims);
    tree.build(reference, nRef);
    this.flat = new FlatTree(dims);
    this.flat.fill(tree, nRef);
  }

  /**
   * Normalised repulsive forces of the points `y` (n x dims) into `out` (n x dims):
   * (1 / Z_i) sum_j w_ij^2 (y_i - r_j), with w_ij = 1 / (1 + |y_i - r_j|^2) over the reference points r_j.
   */
  forces(y: Float64Array, n: number, out: Float64Array): void {
    const { nodes, size, stride } = this.flat;
    const d = this.dims;
    const theta2 = this.theta * this.theta;
    const f = [0, 0, 0];
    const diff = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      f[0] = f[1] = f[2] = 0;
      let z = 0;
      let node = 0;
      while (node < size) {
        const b = node * stride;
        let d2 = 0;
        for (let c = 0; c < d; c++) {
          diff[c] = y[i * d + c] - nodes[b + c];
          d2 += diff[c] * diff[c];
        }
        // Barnes-Hut criterion: side^2 < theta^2 distance^2 (leaves store -1: always accepted).
        if (nodes[b + d] < theta2 * d2) {
          const w = 1 / (1 + d2);
          const cw = nodes[b + d + 1] * w;
          z += cw;
          const cw2 = cw * w;
          for (let c = 0; c < d; c++) f[c] += cw2 * diff[c];
          node = nodes[b + d + 2];
        } else {
          node++;
        }
      }
      const inv = z > 0 ? 1 / z : 0;
      for (let c = 0; c < d; c++) out[i * d + c] = f[c] * inv;
    }
  }

  /** Barnes-Hut is valid everywhere: nothing to confine. */
  confine(_y: Float64Array, n: number, moved: Uint8Array): void {
    moved.fill(0, 0, n);
  }
}

export class ReferenceField2d implements FixedRepulsion {
  readonly dims = 2;
  /** Lower corner (both axes) and side of the grid's square. */
  readonly lo: number;
  readonly hi: number;
  private readonly plan: GridPlan;
  /** The convolved grids (potentials), and the point steps over them (gradient-fft.ts). */
  private readonly fft = new FftRepulsion2d();
  /** The new points, their forces and Z shares where the point steps read them (`fft.allocate`). */
  private points: { y: Float64Array; out: Float64Array; z: Float64Array } | null = null;

  /** Spreads the reference (nRef x 2) onto a padded grid and convolves it, once. */
  constructor(reference: Float64Array, nRef: number) {
    const range = coordinateRange(reference, nRef);
    const span = Math.max(range.hi - range.lo, 1e-9);
    const lo = range.lo - GRID_PADDING * span;
    const { nBoxes, boxWidth } = gridFor(span * (1 + 2 * GRID_PADDING));
    this.lo = lo;
    this.hi = lo + nBoxes * boxWidth;
    const m = INTERPOLATION_POINTS * nBoxes;
    this.plan = { m, h: boxWidth / INTERPOLATION_POINTS, lo, boxWidth, nBoxes };
    const { fft } = this;
    fft.prepareGrids(m);
    const y = fft.allocate(2 * nRef);
    y.set(reference.subarray(0, 2 * nRef));
    fft.spread(y, nRef, this.plan, 0);
    fft.spread(y, nRef, this.plan, 1);
    const conv = new KernelConvolution2d();
    conv.setGrid(m, this.plan.h);
    conv.convolve(fft.grids.aRe, fft.grids.aIm);
    conv.convolve(fft.grids.bRe, fft.grids.bIm);
  }

  forces(y: Float64Array, n: number, out: Float64Array): void {
    const { fft } = this;
    if (this.points === null || this.points.z.length < n) {
      this.points = { y: fft.allocate(2 * n), out: fft.allocate(2 * n), z: fft.allocate(n) };
    }
    const points = this.points;
    points.y.set(y.subarray(0, 2 * n));
    fft.gather(points.y, this.plan, points.out, points.z, 0, n);
    for (let i = 0; i < n; i++) {
      // The gather removes a self-interaction w_ii = 1 that new points do not have.
      const z = points.z[i] + 1;
      const inv = z > 0 ? 1 / z : 0;
      out[2 * i] = points.out[2 * i] * inv;
      out[2 * i + 1] = points.out[2 * i + 1] * inv;
    }
  }

  confine(y: Float64Array, n: number, moved: Uint8Array): void {
    const { lo, hi } = this;
    for (let i = 0; i < n; i++) {
      let hit = 0;
      for (let c = 0; c < 2; c++) {
        const v = y[2 * i + c];
        if (v < lo) {
          y[2 * i + c] = lo;
          hit = 1;
        } else if (v > hi) {
          y[2 * i + c] = hi;
          hit = 1;
        }
      }
      moved[i] = hit;
    }
  }
}
