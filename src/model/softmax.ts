/** Softmax and top-k over row-major logits; pure kernels writing into caller-owned buffers. */
import type { OutputKind } from './output-kind.js';

/** Row-wise softmax of `rows` x `cols` logits into `out` (float64 accumulation, max-shifted for stability). */
export function softmaxRows(
  logits: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  outOffset = 0,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) if (logits[base + c] > max) max = logits[base + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(logits[base + c] - max);
    for (let c = 0; c < cols; c++) out[outOffset + base + c] = Math.exp(logits[base + c] - max) / sum;
  }
}

/**
 * The class probabilities that `rows` x `cols` scores of the given kind mean, into `out`: softmax of logits,
 * probabilities copied as they are, exp of log-probabilities (float64, as softmaxRows).
 */
export function scoresToProbabilities(
  kind: OutputKind,
  scores: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
  outOffset = 0,
): void {
  const n = rows * cols;
  if (kind === 'logits') softmaxRows(scores, rows, cols, out, outOffset);
  else if (kind === 'probabilities') out.set(scores.subarray(0, n), outOffset);
  else for (let i = 0; i < n; i++) out[outOffset + i] = Math.exp(scores[i]);
}

/**
 * Top-k ids and values of each row, best first; ties go to the lower class id (a stable order,
 * as argsort(-p, kind='stable') gives).
 */
export function topKRows(
  values: Float32Array,
  rows: number,
  cols: number,
  k: number,
  outIds: Int32Array,
  outVals: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const o = r * k;
    let filled = 0;
    for (let c = 0; c < cols; c++) {
      const v = values[base + c];
      if (filled === k && !(v > outVals[o + k - 1])) continue;
      let j = filled < k ? filled++ : k - 1;
      while (j > 0 && v > outVals[o + j - 1]) {
        outVals[o + j] = outVals[o + j - 1];
        outIds[o + j] = outIds[o + j - 1];
        j--;
      }
      outVals[o + j] = v;
      outIds[o + j] = c;
    }
  }
}
