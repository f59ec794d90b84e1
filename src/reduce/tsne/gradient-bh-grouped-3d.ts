/**
 * The grouped Barnes-Hut repulsion of gradient-bh-grouped.ts in 3D: one walk of the octree per group
 * of consecutive points of its depth-first order, accepting a cell for the whole group when
 * side^2 < theta^2 d_min^2 with d_min the distance from the cell's centre of mass to the group's
 * bounding box, then the group's points two at a time against the packed (x, y, z, count) list. As in
 * 2D, every accepted interaction also passes the per-point criterion, so the forces are at least as
 * accurate as one walk per point; the walk is shared by the group. This is the TypeScript twin of
 * `repulsion3d` in asm/barnes-hut.ts (same sums, bit for bit), run when the module is missing.
 */
import type { FlatTree } from './sptree.js';

/**
 * Unnormalised repulsion and per-point Z shares for the points of groups [g0, g1) of `groupSize`
 * points of `flat.order`, a 3D tree over n points. `scratch` holds the accepted cells (4 numbers each)
 * and is returned, grown when a walk accepted more cells than it had room for.
 */
export function repulsiveForcesBhGrouped3d(
  flat: FlatTree,
  n: number,
  y: Float64Array,
  theta: number,
  groupSize: number,
  out: Float64Array,
  zPoint: Float64Array,
  g0: number,
  g1: number,
  scratch: Float64Array,
): Float64Array {
  const nodes = flat.nodes;
  const order = flat.order;
  const size = flat.size;
  const theta2 = theta * theta;
  let cells = scratch;
  for (let g = g0; g < g1; g++) {
    const t0 = Math.min(n, g * groupSize);
    const t1 = Math.min(n, (g + 1) * groupSize);
    if (t0 >= t1) break;
    let x0 = Number.POSITIVE_INFINITY;
    let x1 = Number.NEGATIVE_INFINITY;
    let y0 = Number.POSITIVE_INFINITY;
    let y1 = Number.NEGATIVE_INFINITY;
    let z0 = Number.POSITIVE_INFINITY;
    let z1 = Number.NEGATIVE_INFINITY;
    for (let t = t0; t < t1; t++) {
      const i = order[t];
      const px = y[3 * i];
      const py = y[3 * i + 1];
      const pz = y[3 * i + 2];
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
      if (pz < z0) z0 = pz;
      if (pz > z1) z1 = pz;
    }
    let end = 0;
    let node = 0;
    while (node < size) {
      const b = node * 6;
      const cx = nodes[b];
      const cy = nodes[b + 1];
      const cz = nodes[b + 2];
      const ex = cx < x0 ? x0 - cx : cx > x1 ? cx - x1 : 0;
      const ey = cy < y0 ? y0 - cy : cy > y1 ? cy - y1 : 0;
      const ez = cz < z0 ? z0 - cz : cz > z1 ? cz - z1 : 0;
      if (nodes[b + 3] < theta2 * (ex * ex + ey * ey + ez * ez)) {
        if (end === cells.length) {
          const grown = new Float64Array(2 * cells.length);
          grown.set(cells);
          cells = grown;
        }
        cells[end] = cx;
        cells[end + 1] = cy;
        cells[end + 2] = cz;
        cells[end + 3] = nodes[b + 4];
        end += 4;
        node = nodes[b + 5];
      } else {
        node++;
      }
    }
    let t = t0;
    for (; t + 1 < t1; t += 2) {
      const i = order[t];
      const j = order[t + 1];
      const ax = y[3 * i];
      const ay = y[3 * i + 1];
      const az = y[3 * i + 2];
      const bx = y[3 * j];
      const by = y[3 * j + 1];
      const bz = y[3 * j + 2];
      let fax = 0;
      let fay = 0;
      let faz = 0;
      let fbx = 0;
      let fby = 0;
      let fbz = 0;
      let za = -1; // each point's own leaf, met at distance 0
      let zb = -1;
      for (let c = 0; c < end; c += 4) {
        const cx = cells[c];
        const cy = cells[c + 1];
        const cz = cells[c + 2];
        const cn = cells[c + 3];
        const dax = ax - cx;
        const day = ay - cy;
        const daz = az - cz;
        const dbx = bx - cx;
        const dby = by - cy;
        const dbz = bz - cz;
        const wa = 1 / (1 + dax * dax + day * day + daz * daz);
        const wb = 1 / (1 + dbx * dbx + dby * dby + dbz * dbz);
        const ca = cn * wa;
        const cb = cn * wb;
        za += ca;
        zb += cb;
        const ca2 = ca * wa;
        const cb2 = cb * wb;
        fax += ca2 * dax;
        fay += ca2 * day;
        faz += ca2 * daz;
        fbx += cb2 * dbx;
        fby += cb2 * dby;
        fbz += cb2 * dbz;
      }
      out[3 * i] = fax;
      out[3 * i + 1] = fay;
      out[3 * i + 2] = faz;
      zPoint[i] = za;
      out[3 * j] = fbx;
      out[3 * j + 1] = fby;
      out[3 * j + 2] = fbz;
      zPoint[j] = zb;
    }
    if (t < t1) {
      const i = order[t];
      const ax = y[3 * i];
      const ay = y[3 * i + 1];
      const az = y[3 * i + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      let z = -1;
      for (let c = 0; c < end; c += 4) {
        const dx = ax - cells[c];
        const dy = ay - cells[c + 1];
        const dz = az - cells[c + 2];
        const w = 1 / (1 + dx * dx + dy * dy + dz * dz);
        const cw = cells[c + 3] * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
        fz += cw2 * dz;
      }
      out[3 * i] = fx;
      out[3 * i + 1] = fy;
      out[3 * i + 2] = fz;
      zPoint[i] = z;
    }
  }
  return cells;
}
