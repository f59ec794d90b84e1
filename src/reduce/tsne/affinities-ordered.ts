/**
 * P for t-SNE built with memory bounded by the kNN graph itself, directly in the optimiser's locality
 * order (locality-order.ts) and, for the parallel engine, directly in shared memory: the same P as
 * `jointProbabilities` followed by `localityOrder` and `permuteCsr` (equal up to float32 rounding and
 * the order of entries within a row, tested), without the copies those make. At a million points and
 * k = 90 each copy of P is ~1 GB, and the old chain held up to four at once (docs/architecture.md,
 * "A million points").
 *
 * Steps, each over flat typed arrays: the conditional probabilities overwrite the kNN distances in
 * place (float32), the graph's transpose lists every point's reverse neighbours, a breadth-first walk
 * of the symmetric graph gives the order, and P's rows are counted, then written once.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import { type CsrMatrix, conditionalProbabilities } from './affinities.js';
import { csrInWasmMemory } from './attraction-memory.js';
import { inversePermutation } from './locality-order.js';

/** Rows whose conditional probabilities are computed per call (a float64 scratch of ROWS x k). */
const ROWS_PER_BLOCK = 4096;

export interface OrderedAffinities {
  /** P with rows and columns renumbered: row r is point `order[r]`. */
  p: CsrMatrix;
  /** `order[newIndex] = inputIndex`, a breadth-first walk of the symmetric kNN graph. */
  order: Int32Array;
}

/**
 * `orderedJointProbabilities` with the per-point perplexity searches (the costly step: ~20 bisection
 * steps of k exponentials a point) split over `threads` when the distances are in shared memory;
 * the result is the same for any thread count (each row's search is one thread's, as on one).
 * P's arrays are shared when `threads` > 1.
 */
export async function orderedJointProbabilitiesAsync(
  indices: Int32Array,
  distances: Float32Array,
  n: number,
  k: number,
  perplexity: number,
  threads: number,
): Promise<OrderedAffinities> {
  if (threads > 1 && distances.buffer instanceof SharedArrayBuffer) {
    await conditionalInPlaceParallel(distances, n, k, perplexity, threads);
    return jointFromConditional(indices, distances, n, k, true);
  }
  return orderedJointProbabilities(indices, distances, n, k, perplexity, threads > 1);
}

/**
 * P = (P_cond + P_cond^T) / (2N) in locality order. `distances` (n x k Euclidean, float32) is
 * overwritten with the conditional probabilities; `indices` is read only. `shared`: P's arrays over
 * SharedArrayBuffers (worker threads read them without a copy).
 */
export function orderedJointProbabilities(
  indices: Int32Array,
  distances: Float32Array,
  n: number,
  k: number,
  perplexity: number,
  shared = false,
): OrderedAffinities {
  conditionalRowsInPlace(distances, k, perplexity, 0, n);
  return jointFromConditional(indices, distances, n, k, shared);
}

/** The symmetrisation and renumbering of `orderedJointProbabilities`, from the conditional rows. */
function jointFromConditional(
  indices: Int32Array,
  cond: Float32Array,
  n: number,
  k: number,
  shared: boolean,
): OrderedAffinities {
  const { revPtr, revEdge } = transpose(indices, n, k);
  const order = breadthFirstOrder(indices, revPtr, revEdge, n, k);
  const rank = inversePermutation(order);
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));

  // Row sizes: own neighbours, plus reverse neighbours that are not also own neighbours.
  const stamp = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    for (let s = i * k; s < i * k + k; s++) stamp[indices[s]] = i;
    let size = k;
    for (let e = revPtr[i]; e < revPtr[i + 1]; e++) if (stamp[(revEdge[e] / k) | 0] !== i) size++;
    sizes[r + 1] = sizes[r] + size;
  }
  const nnz = sizes[n];
  // Shared: in a WebAssembly memory the attraction kernels of every thread read in place (attraction-memory.ts).
  const p = (shared ? csrInWasmMemory(n, nnz) : null) ?? {
    n,
    rowPtr: new Int32Array(buffer(4 * (n + 1))),
    cols: new Int32Array(buffer(4 * nnz)),
    vals: new Float32Array(buffer(4 * nnz)),
  };
  const { rowPtr, cols, vals } = p;
  rowPtr.set(sizes);
  // `where[j]`: position of column j in the row being written (valid when >= the row's start).
  const where = stamp.fill(-1);
  const scale = 1 / (2 * n);
  const own = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const start = rowPtr[r];
    let at = start;
    for (let s = i * k; s < i * k + k; s++) {
      where[indices[s]] = at;
      cols[at++] = rank[indices[s]];
    }
    for (let j = 0; j < k; j++) own[j] = cond[i * k + j];
    for (let e = revPtr[i]; e < revPtr[i + 1]; e++) {
      const s = revEdge[e];
      const src = (s / k) | 0;
      const w = where[src];
      if (w >= start) {
        // src is also one of i's own neighbours: (p_j|i + p_i|j) in one entry.
        own[w - start] += cond[s];
      } else {
        cols[at] = rank[src];
        vals[at++] = cond[s] * scale;
      }
    }
    for (let j = 0; j < k; j++) vals[start + j] = own[j] * scale;
  }
  return { p, order };
}

/** `conditionalProbabilities` of rows [first, last), block by block, written back over the distances. */
export function conditionalRowsInPlace(
  distances: Float32Array,
  k: number,
  perplexity: number,
  first: number,
  last: number,
): void {
  const scratch = new Float64Array(Math.min(last - first, ROWS_PER_BLOCK) * k);
  for (let from = first; from < last; from += ROWS_PER_BLOCK) {
    const rows = Math.min(ROWS_PER_BLOCK, last - from);
    const block = distances.subarray(from * k, (from + rows) * k);
    conditionalProbabilities(block, rows, k, perplexity, scratch);
    block.set(scratch.subarray(0, rows * k));
  }
}

/** `conditionalRowsInPlace` over all rows, one contiguous range per thread (affinities-worker.ts). */
async function conditionalInPlaceParallel(
  distances: Float32Array,
  n: number,
  k: number,
  perplexity: number,
  threads: number,
): Promise<void> {
  const range = (t: number) => [Math.floor((n * t) / threads), Math.floor((n * (t + 1)) / threads)];
  const { script, isEval } = workerScript(import.meta.url, 'affinities-worker');
  const done: Promise<unknown>[] = [];
  for (let t = 1; t < threads; t++) {
    const [from, to] = range(t);
    const worker = new Worker(script, { eval: isEval, workerData: { distances, k, perplexity, from, to } });
    done.push(
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate()),
    );
  }
  const [from, to] = range(0);
  conditionalRowsInPlace(distances, k, perplexity, from, to);
  await Promise.all(done);
}

/** For every point, the kNN edges (ids `i * k + slot`) that point to it, by ascending source. */
function transpose(indices: Int32Array, n: number, k: number): { revPtr: Int32Array; revEdge: Int32Array } {
  const revPtr = new Int32Array(n + 1);
  for (let s = 0; s < n * k; s++) revPtr[indices[s] + 1]++;
  for (let i = 0; i < n; i++) revPtr[i + 1] += revPtr[i];
  const fill = revPtr.slice(0, n);
  const revEdge = new Int32Array(n * k);
  for (let s = 0; s < n * k; s++) revEdge[fill[indices[s]]++] = s;
  return { revPtr, revEdge };
}

/**
 * `localityOrder` over the symmetric graph without building it: from each unvisited point (lowest
 * index first), visit its own neighbours in kNN order, then its reverse neighbours by source.
 */
function breadthFirstOrder(
  indices: Int32Array,
  revPtr: Int32Array,
  revEdge: Int32Array,
  n: number,
  k: number,
): Int32Array {
  const order = new Int32Array(n);
  const seen = new Uint8Array(n);
  let tail = 0;
  let head = 0;
  const visit = (j: number) => {
    if (!seen[j]) {
      seen[j] = 1;
      order[tail++] = j;
    }
  };
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    visit(start);
    while (head < tail) {
      const i = order[head++];
      for (let s = i * k; s < i * k + k; s++) visit(indices[s]);
      for (let e = revPtr[i]; e < revPtr[i + 1]; e++) visit((revEdge[e] / k) | 0);
    }
  }
  return order;
}
