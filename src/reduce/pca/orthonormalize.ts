/**
 * Orthonormalises the rows of an m x len matrix in place by modified Gram-Schmidt, run twice
 * ("twice is enough", Giraud et al. 2005) so the result is orthogonal to working precision even when
 * rows are nearly dependent. Rows that are (numerically) dependent on earlier ones become zero rows.
 */
export function orthonormalizeRows(a: Float64Array, m: number, len: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < m; i++) {
      const oi = i * len;
      let before = 0;
      for (let c = 0; c < len; c++) before += a[oi + c] * a[oi + c];
      for (let j = 0; j < i; j++) {
        const oj = j * len;
        let dot = 0;
        for (let c = 0; c < len; c++) dot += a[oi + c] * a[oj + c];
        for (let c = 0; c < len; c++) a[oi + c] -= dot * a[oj + c];
      }
      let norm = 0;
      for (let c = 0; c < len; c++) norm += a[oi + c] * a[oi + c];
      // A row that lost almost all its length was a combination of earlier rows.
      if (norm <= 1e-24 * before || norm === 0) {
        a.fill(0, oi, oi + len);
        continue;
      }
      const inv = 1 / Math.sqrt(norm);
      for (let c = 0; c < len; c++) a[oi + c] *= inv;
    }
  }
}
