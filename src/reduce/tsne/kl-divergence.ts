/**
 * Kullback-Leibler divergence KL(P || Q) of an embedding, the t-SNE objective (van der Maaten &
 * Hinton 2008, eq. 2), evaluated over the sparse P only: entries of P outside the kNN graph are zero
 * and contribute nothing. With q_ij = w_ij / Z and sum P = 1:
 *   KL = sum p_ij log p_ij - sum p_ij log w_ij + log Z.
 * Z is the normalisation from the last gradient pass (exact, Barnes-Hut or FFT, as openTSNE does), so
 * the value carries that method's small approximation error.
 */
import type { CsrMatrix } from './affinities.js';

export function klDivergence(p: CsrMatrix, positions: Float64Array, dims: number, z: number): number {
  const { rowPtr, cols, vals } = p;
  let kl = 0;
  for (let i = 0; i < p.n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const pij = vals[e];
      if (pij <= 0) continue;
      const j = cols[e];
      let d2 = 0;
      for (let c = 0; c < dims; c++) {
        const diff = positions[i * dims + c] - positions[j * dims + c];
        d2 += diff * diff;
      }
      // log p - log(w) = log p + log(1 + d2)
      kl += pij * (Math.log(pij) + Math.log1p(d2));
    }
  }
  return kl + Math.log(z);
}
