/**
 * A cache-friendly order of the points for the optimisation. The attractive forces read the position
 * of every neighbour j of every point i (N x ~130 reads per iteration at perplexity 30); in input order
 * those reads jump all over the embedding array, and at 70k points they miss the cache and dominate the
 * iteration (`bench/tsne/profile.ts` with and without `--reorder`; bench/README.md). Renumbering the
 * points by a breadth-first walk of the neighbour graph (the idea of Cuthill & McKee's bandwidth
 * reduction) gives neighbours nearby numbers, so most reads hit lines that are already cached. The
 * order depends only on P, so the result stays deterministic and independent of the thread count;
 * tsne() maps the embedding back to input order.
 */
import type { CsrMatrix } from './affinities.js';
import { float64Array, int32Array } from './shared-arrays.js';

/**
 * `order[newIndex] = oldIndex`: breadth-first over P's rows, visiting a row's columns in stored order,
 * restarting at the lowest unvisited index for each connected component.
 */
export function localityOrder(p: CsrMatrix): Int32Array {
  const { n, rowPtr, cols } = p;
  const order = new Int32Array(n);
  const seen = new Uint8Array(n);
  let tail = 0;
  let head = 0;
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    seen[start] = 1;
    order[tail++] = start;
    while (head < tail) {
      const i = order[head++];
      for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
        const j = cols[e];
        if (!seen[j]) {
          seen[j] = 1;
          order[tail++] = j;
        }
      }
    }
  }
  return order;
}

/** The inverse permutation: `rank[oldIndex] = newIndex`. */
export function inversePermutation(order: Int32Array): Int32Array {
  const rank = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) rank[order[k]] = k;
  return rank;
}

/**
 * P with its points renumbered: row k of the result is row order[k] of `p`, columns mapped by rank.
 */
export function permuteCsr(p: CsrMatrix, order: Int32Array): CsrMatrix {
  const { n, rowPtr, cols, vals } = p;
  const rank = inversePermutation(order);
  const newPtr = new Int32Array(n + 1);
  const newCols = new Int32Array(cols.length);
  const newVals = new Float32Array(vals.length);
  let nnz = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      newCols[nnz] = rank[cols[e]];
      newVals[nnz++] = vals[e];
    }
    newPtr[k + 1] = nnz;
  }
  return { n, rowPtr: newPtr, cols: newCols, vals: newVals };
}

/** Rows of a row-major n x dims matrix gathered in `order` (`out[k] = rows[order[k]]`). */
export function permuteRows(rows: Float64Array, order: Int32Array, dims: number): Float64Array {
  const out = new Float64Array(order.length * dims);
  for (let k = 0; k < order.length; k++) {
    for (let c = 0; c < dims; c++) out[k * dims + c] = rows[order[k] * dims + c];
  }
  return out;
}

/** The inverse of `permuteRows`: `out[order[k]] = rows[k]`, as float32 (the embedding's type). */
export function unpermuteRows(rows: Float64Array, order: Int32Array, dims: number): Float32Array {
  const out = new Float32Array(order.length * dims);
  for (let k = 0; k < order.length; k++) {
    for (let c = 0; c < dims; c++) out[order[k] * dims + c] = rows[k * dims + c];
  }
  return out;
}
