/**
 * Attractive forces of t-SNE over the sparse joint probabilities P (van der Maaten 2014, eq. 4 and
 * section 4.1): F_attr,i = exaggeration * sum_j p_ij w_ij (y_i - y_j), with w_ij = 1 / (1 + |y_i - y_j|^2).
 * openTSNE units (no factor 4, see optimizer.ts). Exact: only the O(N k) stored entries of P count.
 */
import type { CsrMatrix } from './affinities.js';

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
  const { rowPtr, cols, vals } = p;
  const y = positions;
  if (dims === 2) {
    for (let i = start; i < end; i++) {
      const yx = y[2 * i];
      const yy = y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let e = rowPtr[i], stop = rowPtr[i + 1]; e < stop; e++) {
        const j = cols[e];
        const dx = yx - y[2 * j];
        const dy = yy - y[2 * j + 1];
        const pw = vals[e] / (1 + dx * dx + dy * dy);
        fx += pw * dx;
        fy += pw * dy;
      }
      out[2 * i] = exaggeration * fx;
      out[2 * i + 1] = exaggeration * fy;
    }
  } else {
    for (let i = start; i < end; i++) {
      const yx = y[3 * i];
      const yy = y[3 * i + 1];
      const yz = y[3 * i + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      for (let e = rowPtr[i], stop = rowPtr[i + 1]; e < stop; e++) {
        const j = cols[e];
        const dx = yx - y[3 * j];
        const dy = yy - y[3 * j + 1];
        const dz = yz - y[3 * j + 2];
        const pw = vals[e] / (1 + dx * dx + dy * dy + dz * dz);
        fx += pw * dx;
        fy += pw * dy;
        fz += pw * dz;
      }
      out[3 * i] = exaggeration * fx;
      out[3 * i + 1] = exaggeration * fy;
      out[3 * i + 2] = exaggeration * fz;
    }
  }
}
