/**
 * Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
 * "Matrix Computations", 4th ed., section 8.5): slow for large m (O(m^3) per sweep) but simple,
 * unconditionally stable and accurate to working precision, which is what PCA of <= ~200 dims and the
 * small projected problem of randomised PCA need.
 */

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors as rows (m x m, row i belongs to values[i]), unit length. */
  vectors: Float64Array;
}

/** Decomposes the m x m symmetric matrix `a` (row-major; only read, not modified). */
export function symmetricEigen(a: Float64Array, m: number, maxSweeps = 60): SymmetricEigen {
  const s = Float64Array.from(a.subarray(0, m * m));
  // v holds eigenvectors as columns while rotating.
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < m; p++) {
      diag += s[p * m + p] * s[p * m + p];
      for (let q = p + 1; q < m; q++) off += s[p * m + q] * s[p * m + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = s[p * m + q];
        if (apq === 0) continue;
        const app = s[p * m + p];
        const aqq = s[q * m + q];
        // Rotation angle that zeroes s[p][q] (G&VL Algorithm 8.5.1, the smaller root for stability).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let r = 0; r < m; r++) {
          const srp = s[r * m + p];
          const srq = s[r * m + q];
          s[r * m + p] = c * srp - sn * srq;
          s[r * m + q] = sn * srp + c * srq;
        }
        for (let r = 0; r < m; r++) {
          const spr = s[p * m + r];
          const sqr = s[q * m + r];
          s[p * m + r] = c * spr - sn * sqr;
          s[q * m + r] = sn * spr + c * sqr;
        }
        for (let r = 0; r < m; r++) {
          const vrp = v[r * m + p];
          const vrq = v[r * m + q];
          v[r * m + p] = c * vrp - sn * vrq;
          v[r * m + q] = sn * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => s[y * m + y] - s[x * m + x] || x - y);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((col, i) => {
    values[i] = s[col * m + col];
    for (let r = 0; r < m; r++) vectors[i * m + r] = v[r * m + col];
  });
  return { values, vectors };
}
