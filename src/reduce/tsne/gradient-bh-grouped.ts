/**
 * Barnes-Hut repulsion in 2D with one tree walk per group of nearby points instead of one per point:
 * Barnes' "modified tree code" (J. Barnes 1990, "A modified tree code: don't laugh; it runs",
 * J. Comput. Phys. 87), as used by N-body codes such as GADGET. Points are taken in groups of
 * GROUP_SIZE consecutive points of the tree's depth-first order (so a group is a small patch of the
 * plane); the walk accepts a cell for the whole group when side^2 < theta^2 d_min^2, where d_min is the
 * distance from the cell's centre of mass to the group's bounding box. Every point of the group is at
 * least d_min away, so each of its interactions passes the usual per-point criterion too: the forces are
 * at least as accurate as plain Barnes-Hut (gradient-bh.ts). Then every point of the group runs through
 * the accepted list, copied out of the tree into a packed (x, y, count) list, two points per pass
 * over it. The walk, with its hard-to-predict branch per cell, is shared by the group; the extra
 * interactions are cheap. Measured on a converged 10k-point map (one thread): the grouped walk is faster
 * per evaluation than one walk per point, with force error 0.96% instead of 1.56% and Z error 0.6%
 * instead of 1.0% (relative to the exact sums); groups of 4 were slower (16 against 8: see GROUP_SIZE). The packed
 * list and pairs cut the time further (same sums, bit for bit); the walk itself remains a large share
 * of it, with 175-210 accepted cells per point on average at 10k (bench/README.md, 'Where the
 * thresholds come from').
 *
 * The walk and the pairs run in WebAssembly when it is built (wasm-barnes-hut.ts; same sums, bit for
 * bit). Each point's sums are computed in list order by whichever thread owns its group, and groups are
 * fixed by the tree alone, so results do not depend on the thread count when threads split the work
 * at group boundaries (`groupRange`).
 */

import { repulsiveForcesBhGrouped3d } from './gradient-bh-grouped-3d.js';
import type { FlatTree } from './sptree.js';
import { WasmBarnesHut, wasmBarnesHutAvailable } from './wasm-barnes-hut.js';

/**
 * Points per group in 2D (consecutive in the tree's depth-first order). Since the walk runs without
 * branches on the box distances (asm/barnes-hut.ts), 16 beat 8 by 13% per evaluation on 10k layouts
 * (6.3 against 7.2 ms at the end of a run, 5.4 against 6.4 ms after early exaggeration; one thread),
 * with 24 and 32 about as fast as 16.
 */
export const GROUP_SIZE = 16;
/**
 * Points per group in 3D: larger than in 2D, since an octree walk accepts more cells per group, so
 * sharing it among more points pays for longer (measured: 16 beat 8 and 4 and matched 32, bench/README.md,
 * 'Where the thresholds come from').
 */
export const GROUP_SIZE_3D = 16;

/** Points per group for a tree in `dims` dimensions. */
export function groupSize(dims: 2 | 3): number {
  return dims === 2 ? GROUP_SIZE : GROUP_SIZE_3D;
}

/**
 * Reusable interaction list, one per thread: the accepted cells' centre of mass and point count,
 * copied out of the tree (3 numbers per cell) so the group's points stream through them in order.
 */
export class InteractionList {
  cells: Float64Array = new Float64Array(3 * 1024);
  /** The same computation in WebAssembly (wasm-barnes-hut.ts), when built and not refused. */
  readonly wasm: WasmBarnesHut | null;
  constructor(useWasm = true) {
    this.wasm = useWasm && wasmBarnesHutAvailable() ? new WasmBarnesHut() : null;
  }
}

/** Groups [g0, g1) of n points (2D) as a range of tree-order positions. */
export function groupRange(n: number, g0: number, g1: number): [number, number] {
  return [Math.min(n, g0 * GROUP_SIZE), Math.min(n, g1 * GROUP_SIZE)];
}

/** Number of groups for n points in `dims` dimensions. */
export function groupCount(n: number, dims: 2 | 3 = 2): number {
  return Math.ceil(n / groupSize(dims));
}

/**
 * Unnormalised repulsion and per-point Z shares (as `repulsiveForcesBh`) for the points of groups
 * [g0, g1) of `flat.order`, a tree over n points, in 2D or 3D (gradient-bh-grouped-3d.ts).
 */
export function repulsiveForcesBhGrouped(
  flat: FlatTree,
  n: number,
  y: Float64Array,
  theta: number,
  out: Float64Array,
  zPoint: Float64Array,
  g0: number,
  g1: number,
  list: InteractionList,
): void {
  if (list.wasm !== null) {
    list.wasm.compute(flat, n, y, theta, groupSize(flat.dims), out, zPoint, g0, g1);
    return;
  }
  if (flat.dims === 3) {
    list.cells = repulsiveForcesBhGrouped3d(
      flat,
      n,
      y,
      theta,
      GROUP_SIZE_3D,
      out,
      zPoint,
      g0,
      g1,
      list.cells,
    );
    return;
  }
  const nodes = flat.nodes;
  const order = flat.order;
  const size = flat.size;
  const theta2 = theta * theta;
  for (let g = g0; g < g1; g++) {
    const [t0, t1] = groupRange(n, g, g + 1);
    if (t0 >= t1) break;
    // The group's bounding box.
    let x0 = Number.POSITIVE_INFINITY;
    let x1 = Number.NEGATIVE_INFINITY;
    let y0 = Number.POSITIVE_INFINITY;
    let y1 = Number.NEGATIVE_INFINITY;
    for (let t = t0; t < t1; t++) {
      const i = order[t];
      const px = y[2 * i];
      const py = y[2 * i + 1];
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
    }
    // One walk for the group.
    let cells = list.cells;
    let end = 0;
    let node = 0;
    while (node < size) {
      const b = node * 5;
      const cx = nodes[b];
      const cy = nodes[b + 1];
      const ex = cx < x0 ? x0 - cx : cx > x1 ? cx - x1 : 0;
      const ey = cy < y0 ? y0 - cy : cy > y1 ? cy - y1 : 0;
      if (nodes[b + 2] < theta2 * (ex * ex + ey * ey)) {
        if (end === cells.length) {
          const grown = new Float64Array(2 * cells.length);
          grown.set(cells);
          cells = grown;
          list.cells = grown;
        }
        cells[end] = cx;
        cells[end + 1] = cy;
        cells[end + 2] = nodes[b + 3];
        end += 3;
        node = nodes[b + 4];
      } else {
        node++;
      }
    }
    // The group's points against the accepted cells, two points per pass over the list (each
    // point's sums are the same as on its own; the pair shares the loads and overlaps the divisions).
    let t = t0;
    for (; t + 1 < t1; t += 2) {
      const i = order[t];
      const j = order[t + 1];
      const ax = y[2 * i];
      const ay = y[2 * i + 1];
      const bx = y[2 * j];
      const by = y[2 * j + 1];
      let fax = 0;
      let fay = 0;
      let fbx = 0;
      let fby = 0;
      let za = -1; // each point's own leaf, met at distance 0
      let zb = -1;
      for (let c = 0; c < end; c += 3) {
        const cx = cells[c];
        const cy = cells[c + 1];
        const cn = cells[c + 2];
        const dax = ax - cx;
        const day = ay - cy;
        const dbx = bx - cx;
        const dby = by - cy;
        const wa = 1 / (1 + dax * dax + day * day);
        const wb = 1 / (1 + dbx * dbx + dby * dby);
        const ca = cn * wa;
        const cb = cn * wb;
        za += ca;
        zb += cb;
        const ca2 = ca * wa;
        const cb2 = cb * wb;
        fax += ca2 * dax;
        fay += ca2 * day;
        fbx += cb2 * dbx;
        fby += cb2 * dby;
      }
      out[2 * i] = fax;
      out[2 * i + 1] = fay;
      zPoint[i] = za;
      out[2 * j] = fbx;
      out[2 * j + 1] = fby;
      zPoint[j] = zb;
    }
    if (t < t1) {
      const i = order[t];
      const ax = y[2 * i];
      const ay = y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      let z = -1;
      for (let c = 0; c < end; c += 3) {
        const dx = ax - cells[c];
        const dy = ay - cells[c + 1];
        const w = 1 / (1 + dx * dx + dy * dy);
        const cw = cells[c + 2] * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
      }
      out[2 * i] = fx;
      out[2 * i + 1] = fy;
      zPoint[i] = z;
    }
  }
}
