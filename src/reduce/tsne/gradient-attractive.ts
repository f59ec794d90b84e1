/**
 * Attractive forces of t-SNE over the sparse joint probabilities P (van der Maaten 2014, eq. 4 and
 * section 4.1): F_attr,i = exaggeration * sum_j p_ij w_ij (y_i - y_j), with w_ij = 1 / (1 + |y_i - y_j|^2).
 * openTSNE units (no factor 4, see optimizer.ts). Exact: only the O(N k) stored entries of P count.
 *
 * In single precision, in the order of the WebAssembly kernel (asm/attraction.ts), so that both give
 * the same forces bit for bit: the positions are rounded to f32, every operation is rounded to f32
 * (Math.fround; f64 then f32 rounding of +, -, * and / is the f32 operation's own result), lane k of
 * the sums takes entries k, k + 4, k + 8... of a row, the four lanes are added in order, and the last
 * (row length mod 4) entries are added one by one. Single precision is far inside the error of the
 * approximate repulsion it is balanced against, and halves the time of the largest stage at a million
 * points (bench/README.md).
 */
import type { CsrMatrix } from './affinities.js';

const f = Math.fround;

/** Attractive forces for rows [start, end) into `out` (n x dims; rows in the range are overwritten). */
export function attractiveForces(
  p: CsrMatrix,
  positions: Float64Array,
  dims: 2 | 3,
  exaggeration: number,
  out: Float64Array,
  start: number,
  end: number,
): void {
  const sums = new Float64Array(4 * dims);
  for (let i = start; i < end; i++) {
    rowForce(p, positions, dims, i, sums);
    for (let c = 0; c < dims; c++) out[dims * i + c] = exaggeration * sums[c];
  }
}

/** Row i's force (without exaggeration) into sums[0..dims); `sums` holds 4 lanes per axis as scratch. */
function rowForce(p: CsrMatrix, y: Float64Array, dims: 2 | 3, i: number, sums: Float64Array): void {
  const { rowPtr, cols, vals } = p;
  const pi = dims * i;
  const px = f(y[pi]);
  const py = f(y[pi + 1]);
  const pz = dims === 3 ? f(y[pi + 2]) : 0;
  sums.fill(0);
  const stop = rowPtr[i + 1];
  let e = rowPtr[i];
  for (; e + 4 <= stop; e += 4) {
    for (let lane = 0; lane < 4; lane++)
      addEntry(px, py, pz, y, dims, cols[e + lane], vals[e + lane], sums, lane);
  }
  // The lanes, added in order, then the remaining entries one by one on lane 0's sums.
  for (let c = 0; c < dims; c++) {
    const s = 4 * c;
    sums[s] = f(f(f(sums[s] + sums[s + 1]) + sums[s + 2]) + sums[s + 3]);
  }
  for (; e < stop; e++) addEntry(px, py, pz, y, dims, cols[e], vals[e], sums, 0);
  for (let c = 0; c < dims; c++) sums[c] = sums[4 * c];
}

/** Adds p_ij w_ij (y_i - y_j) to lane `lane` of `sums`, in f32 as the WebAssembly lanes do. */
function addEntry(
  px: number,
  py: number,
  pz: number,
  y: Float64Array,
  dims: 2 | 3,
  j: number,
  pij: number,
  sums: Float64Array,
  lane: number,
): void {
  const pj = dims * j;
  const dx = f(px - f(y[pj]));
  const dy = f(py - f(y[pj + 1]));
  let q = f(f(1 + f(dx * dx)) + f(dy * dy));
  let dz = 0;
  if (dims === 3) {
    dz = f(pz - f(y[pj + 2]));
    q = f(q + f(dz * dz));
  }
  const w = f(pij / q);
  sums[lane] = f(sums[lane] + f(w * dx));
  sums[4 + lane] = f(sums[4 + lane] + f(w * dy));
  if (dims === 3) sums[8 + lane] = f(sums[8 + lane] + f(w * dz));
}
