/**
 * Barnes-Hut repulsive forces of t-SNE (van der Maaten 2014, "Accelerating t-SNE using tree-based
 * algorithms", section 4.2), in 2D and 3D.
 *
 * With w_ij = 1 / (1 + |y_i - y_j|^2) and Z = sum_{i != j} w_ij, the repulsive part of the gradient
 * (openTSNE units, without the factor 4 of the paper, see optimizer.ts) is
 *   F_rep,i = (1 / Z) * sum_j w_ij^2 (y_i - y_j).
 * Here we return the unnormalised sum for every point and Z; the caller divides once Z is known
 * (with worker ranges, Z is only known after every range is done).
 *
 * A whole cell of the tree stands for its points, at their centre of mass, when the cell's side
 * length divided by the distance to that centre is below `theta` (scikit-learn `_quad_tree` and
 * openTSNE compare the full side length; bhtsne compares half of it, so theta = 0.5 here is the
 * stricter, more accurate reading).
 */
import { groupCount, groupSize, InteractionList, repulsiveForcesBhGrouped } from './gradient-bh-grouped.js';
import { FlatTree, SpTree } from './sptree.js';

/** Default Barnes-Hut accuracy (van der Maaten 2014; scikit-learn `angle`, openTSNE `theta`). */
export const DEFAULT_THETA = 0.5;

/**
 * Unnormalised repulsive forces for the points `flat.order[start .. end)` into `out` (n x dims; those
 * points' rows are overwritten), and each point's share of Z, sum_j w_ij, into `zPoint` (n). Callers
 * add `zPoint` up in index order (`sumInOrder`), so Z, and with it the whole run, does not depend on
 * how points were split between threads. `flat` must hold the tree of `positions`.
 *
 * Self-interaction: a leaf is always accepted, so every point meets its own leaf (for theta below
 * 1/sqrt(dims) no cell containing the point passes the criterion earlier) at distance 0 exactly (a
 * leaf's centre is its point, bit for bit), adding w = 1 and no force; we subtract that 1. Exact
 * duplicates share the leaf and are counted with w = 1, as they should be.
 */
export function repulsiveForcesBh(
  flat: FlatTree,
  positions: Float64Array,
  theta: number,
  out: Float64Array,
  zPoint: Float64Array,
  start: number,
  end: number,
): void {
  if (flat.dims === 2) repulsive2d(flat, positions, theta * theta, out, zPoint, start, end);
  else repulsive3d(flat, positions, theta * theta, out, zPoint, start, end);
}

/**
 * The repulsion for this thread's share, `part` of `parts`, of the n points of `flat`, by groups
 * (gradient-bh-grouped.ts, gradient-bh-grouped-3d.ts). Shares are fixed by the tree, so every point's sums
 * are the same for any number of parts.
 */
export function repulsiveForcesBhShare(
  flat: FlatTree,
  n: number,
  positions: Float64Array,
  theta: number,
  out: Float64Array,
  zPoint: Float64Array,
  part: number,
  parts: number,
  list: InteractionList,
): void {
  const groups = groupCount(n, flat.dims);
  const g0 = Math.floor((groups * part) / parts);
  const g1 = Math.floor((groups * (part + 1)) / parts);
  repulsiveForcesBhGrouped(flat, n, positions, theta, out, zPoint, g0, g1, list);
}

/** Groups per chunk that a thread takes at a time in `repulsiveForcesBhShared`. */
export const BH_CHUNK_GROUPS = 8;

/**
 * The repulsion of all n points of `flat`, shared by threads that each call this at the same time:
 * each takes the next chunk of BH_CHUNK_GROUPS groups from `counter` (an Int32Array slot every
 * thread sees, 0 at the start) until none is left, so a thread that is slower or descheduled does
 * less of the work. Every point's sums are still computed whole by one thread, with the same
 * arithmetic, so the result does not depend on which thread took which chunk.
 */
export function repulsiveForcesBhShared(
  flat: FlatTree,
  n: number,
  positions: Float64Array,
  theta: number,
  out: Float64Array,
  zPoint: Float64Array,
  list: InteractionList,
  counter: Int32Array,
  slot: number,
): void {
  const groups = groupCount(n, flat.dims);
  list.wasm?.load(flat, n, positions);
  for (;;) {
    const g0 = Atomics.add(counter, slot, 1) * BH_CHUNK_GROUPS;
    if (g0 >= groups) return;
    const g1 = Math.min(groups, g0 + BH_CHUNK_GROUPS);
    if (list.wasm !== null) list.wasm.run(flat, n, theta, groupSize(flat.dims), out, zPoint, g0, g1);
    else repulsiveForcesBhGrouped(flat, n, positions, theta, out, zPoint, g0, g1, list);
  }
}

/** Sum of `values[0 .. n)` in index order. */
export function sumInOrder(values: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  return s;
}

function repulsive2d(
  flat: FlatTree,
  y: Float64Array,
  theta2: number,
  out: Float64Array,
  zPoint: Float64Array,
  start: number,
  end: number,
): void {
  const nodes = flat.nodes;
  const order = flat.order;
  const size = flat.size;
  for (let t = start; t < end; t++) {
    const i = order[t];
    const yx = y[2 * i];
    const yy = y[2 * i + 1];
    let fx = 0;
    let fy = 0;
    let z = -1; // cancels the point's own leaf, met at distance 0
    let node = 0;
    while (node < size) {
      const b = node * 5;
      const dx = yx - nodes[b];
      const dy = yy - nodes[b + 1];
      const d2 = dx * dx + dy * dy;
      // Barnes-Hut criterion: side^2 < theta^2 distance^2 (leaves store -1: always accepted).
      if (nodes[b + 2] < theta2 * d2) {
        const w = 1 / (1 + d2);
        const cw = nodes[b + 3] * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
        node = nodes[b + 4];
      } else {
        node++;
      }
    }
    out[2 * i] = fx;
    out[2 * i + 1] = fy;
    zPoint[i] = z;
  }
}

function repulsive3d(
  flat: FlatTree,
  y: Float64Array,
  theta2: number,
  out: Float64Array,
  zPoint: Float64Array,
  start: number,
  end: number,
): void {
  const nodes = flat.nodes;
  const order = flat.order;
  const size = flat.size;
  for (let t = start; t < end; t++) {
    const i = order[t];
    const yx = y[3 * i];
    const yy = y[3 * i + 1];
    const yz = y[3 * i + 2];
    let fx = 0;
    let fy = 0;
    let fz = 0;
    let z = -1;
    let node = 0;
    while (node < size) {
      const b = node * 6;
      const dx = yx - nodes[b];
      const dy = yy - nodes[b + 1];
      const dz = yz - nodes[b + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      // Barnes-Hut criterion: side^2 < theta^2 distance^2 (leaves store -1: always accepted).
      if (nodes[b + 3] < theta2 * d2) {
        const w = 1 / (1 + d2);
        const cw = nodes[b + 4] * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
        fz += cw2 * dz;
        node = nodes[b + 5];
      } else {
        node++;
      }
    }
    out[3 * i] = fx;
    out[3 * i + 1] = fy;
    out[3 * i + 2] = fz;
    zPoint[i] = z;
  }
}

/**
 * Exact O(N^2) repulsion with the same conventions (unnormalised forces into `out`, returns Z).
 * The reference for tests and the method for tiny inputs.
 */
export function repulsiveForcesExact(
  positions: Float64Array,
  n: number,
  dims: number,
  out: Float64Array,
): number {
  out.fill(0, 0, n * dims);
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let c = 0; c < dims; c++) {
        const diff = positions[i * dims + c] - positions[j * dims + c];
        d2 += diff * diff;
      }
      const w = 1 / (1 + d2);
      z += w;
      for (let c = 0; c < dims; c++)
        out[i * dims + c] += w * w * (positions[i * dims + c] - positions[j * dims + c]);
    }
  }
  return z;
}

/** A repulsion backend: unnormalised repulsive forces into `out` (n x dims) and Z. */
export interface Repulsion {
  compute(positions: Float64Array, n: number, out: Float64Array): number;
}

/** Barnes-Hut repulsion with its tree and flattened copy kept across iterations. */
export class BhRepulsion implements Repulsion {
  private readonly tree: SpTree;
  private readonly flat: FlatTree;
  private zPoint = new Float64Array(0);
  private readonly list = new InteractionList();
  constructor(
    readonly dims: 2 | 3,
    readonly theta: number = DEFAULT_THETA,
  ) {
    this.tree = new SpTree(dims);
    this.flat = new FlatTree(dims);
  }
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    // Insert in the last tree's order, as the parallel engine does (same tree either way; the
    // same order also keeps duplicate points' representatives, and so the sums, the same).
    this.tree.build(positions, n, this.flat.order);
    this.flat.fill(this.tree, n);
    if (this.zPoint.length < n) this.zPoint = new Float64Array(n);
    repulsiveForcesBhShare(this.flat, n, positions, this.theta, out, this.zPoint, 0, 1, this.list);
    return sumInOrder(this.zPoint, n);
  }
}

/** Exact O(N^2) repulsion as a backend (tests, and inputs small enough that it is cheapest). */
export class ExactRepulsion implements Repulsion {
  constructor(readonly dims: 2 | 3) {}
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    return repulsiveForcesExact(positions, n, this.dims, out);
  }
}
