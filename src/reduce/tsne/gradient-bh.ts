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
import { MAX_DEPTH, SpTree } from './sptree.js';

/** Default Barnes-Hut accuracy (van der Maaten 2014; scikit-learn `angle`, openTSNE `theta`). */
export const DEFAULT_THETA = 0.5;

/** Scratch stack for one traversal: at most (children - 1) pending siblings per level, plus the root. */
export function traversalStack(dims: 2 | 3): Int32Array {
  return new Int32Array((dims === 2 ? 4 : 8) * (MAX_DEPTH + 2));
}

/**
 * Unnormalised repulsive forces for points [start, end) into `out` (n x dims, rows in the range are
 * overwritten), returning those points' share of Z. `tree` must have been built over `positions`.
 */
export function repulsiveForcesBh(
  tree: SpTree,
  positions: Float64Array,
  theta: number,
  out: Float64Array,
  stack: Int32Array,
  start: number,
  end: number,
): number {
  return tree.dims === 2
    ? repulsive2d(tree, positions, theta * theta, out, stack, start, end)
    : repulsive3d(tree, positions, theta * theta, out, stack, start, end);
}

function repulsive2d(
  tree: SpTree,
  y: Float64Array,
  theta2: number,
  out: Float64Array,
  stack: Int32Array,
  start: number,
  end: number,
): number {
  const { com, count, firstChild, halfWidth } = tree;
  let zSum = 0;
  for (let i = start; i < end; i++) {
    const yx = y[2 * i];
    const yy = y[2 * i + 1];
    let fx = 0;
    let fy = 0;
    let z = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      const cnt = count[node];
      if (cnt === 0) continue;
      const dx = yx - com[2 * node];
      const dy = yy - com[2 * node + 1];
      const d2 = dx * dx + dy * dy;
      const fc = firstChild[node];
      const side = 2 * halfWidth[node];
      // Barnes-Hut criterion: the cell looks small from here (side / distance < theta), or is a leaf.
      if (fc < 0 || side * side < theta2 * d2) {
        if (d2 === 0) {
          // i's own leaf: its duplicates sit at distance 0 (w = 1, no force).
          z += cnt - 1;
          continue;
        }
        const w = 1 / (1 + d2);
        const cw = cnt * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
      } else {
        stack[sp++] = fc;
        stack[sp++] = fc + 1;
        stack[sp++] = fc + 2;
        stack[sp++] = fc + 3;
      }
    }
    out[2 * i] = fx;
    out[2 * i + 1] = fy;
    zSum += z;
  }
  return zSum;
}

function repulsive3d(
  tree: SpTree,
  y: Float64Array,
  theta2: number,
  out: Float64Array,
  stack: Int32Array,
  start: number,
  end: number,
): number {
  const { com, count, firstChild, halfWidth } = tree;
  let zSum = 0;
  for (let i = start; i < end; i++) {
    const yx = y[3 * i];
    const yy = y[3 * i + 1];
    const yz = y[3 * i + 2];
    let fx = 0;
    let fy = 0;
    let fz = 0;
    let z = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      const cnt = count[node];
      if (cnt === 0) continue;
      const dx = yx - com[3 * node];
      const dy = yy - com[3 * node + 1];
      const dz = yz - com[3 * node + 2];
      const d2 = dx * dx + dy * dy + dz * dz;
      const fc = firstChild[node];
      const side = 2 * halfWidth[node];
      // Barnes-Hut criterion: the cell looks small from here (side / distance < theta), or is a leaf.
      if (fc < 0 || side * side < theta2 * d2) {
        if (d2 === 0) {
          z += cnt - 1;
          continue;
        }
        const w = 1 / (1 + d2);
        const cw = cnt * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
        fz += cw2 * dz;
      } else {
        for (let c = 0; c < 8; c++) stack[sp++] = fc + c;
      }
    }
    out[3 * i] = fx;
    out[3 * i + 1] = fy;
    out[3 * i + 2] = fz;
    zSum += z;
  }
  return zSum;
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

/** Barnes-Hut repulsion with its tree and traversal stack kept across iterations. */
export class BhRepulsion implements Repulsion {
  private readonly tree: SpTree;
  private readonly stack: Int32Array;
  constructor(
    readonly dims: 2 | 3,
    readonly theta: number = DEFAULT_THETA,
  ) {
    this.tree = new SpTree(dims);
    this.stack = traversalStack(dims);
  }
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    this.tree.build(positions, n);
    return repulsiveForcesBh(this.tree, positions, this.theta, out, this.stack, 0, n);
  }
}

/** Exact O(N^2) repulsion as a backend (tests, and inputs small enough that it is cheapest). */
export class ExactRepulsion implements Repulsion {
  constructor(readonly dims: 2 | 3) {}
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    return repulsiveForcesExact(positions, n, this.dims, out);
  }
}
