/**
 * Per-row candidate buffers for the exact search (exact-knn.ts): each row collects candidates below
 * its threshold into a buffer of 2k; when the buffer fills, a selection keeps the k closest and the
 * threshold drops to the k-th distance. A candidate then costs one append instead of a heap sift
 * (measured at 10k x 50, k = 90: 4.3 million accepted candidates, about 70 ns each in the heap,
 * the largest part of the search after the distances), and the k kept per row are sorted once at the
 * end. Order is by distance, then index, throughout, so results do not depend on how ties arrive
 * except at exactly the threshold (a candidate equal to it is refused, as by the heap). The offers
 * of a whole distance tile run in WebAssembly when the buffers lie in its memory (asm/dense.ts
 * `offerTile`, the twin of `offerTile` here: the same candidates kept, so the same result).
 */
import { type DenseWorkspace, workspaceDoubles } from '../dense-kernels.js';
import { createNeighborHeap, type NeighborHeap } from './neighbor-heap.js';

export interface CandidateRows {
  n: number;
  k: number;
  /** Buffer slots per row (2k). */
  capacity: number;
  distances: Float64Array;
  indices: Int32Array;
  /** Candidates held per row. */
  counts: Int32Array;
  /** A row accepts a candidate only below this (its k-th distance once it has been full). */
  thresholds: Float64Array;
}

/** Buffer slots per row for k neighbours. */
function capacityFor(k: number): number {
  return 2 * Math.max(1, k);
}

/** Float64 values `createCandidateRows` takes from a workspace (for sizing it). */
export function candidateRowsDoubles(n: number, k: number): number {
  const slots = n * capacityFor(k);
  return (
    workspaceDoubles(slots) + workspaceDoubles(slots / 2) + workspaceDoubles(n / 2) + workspaceDoubles(n)
  );
}

/** Empty buffers for n rows, in `space` (WebAssembly memory, for `offerTile`) or plain arrays. */
export function createCandidateRows(n: number, k: number, space?: DenseWorkspace): CandidateRows {
  const capacity = capacityFor(k);
  const f64 = (length: number) => (space ? space.array(length) : new Float64Array(length));
  const i32 = (length: number) => (space ? space.int32Array(length) : new Int32Array(length));
  return {
    n,
    k,
    capacity,
    distances: f64(n * capacity),
    indices: i32(n * capacity),
    counts: i32(n),
    thresholds: f64(n).fill(Number.POSITIVE_INFINITY),
  };
}

/**
 * Adds (dist, index) to `row`'s buffer; the caller has checked `dist < thresholds[row]` and offers
 * each (row, index) pair at most once.
 */
export function offerCandidate(rows: CandidateRows, row: number, dist: number, index: number): void {
  const { capacity, distances, indices, counts } = rows;
  const base = row * capacity;
  const c = counts[row];
  distances[base + c] = dist;
  indices[base + c] = index;
  if (c + 1 < capacity) {
    counts[row] = c + 1;
    return;
  }
  const kth = base + rows.k - 1;
  selectSmallest(distances, indices, base, base + capacity, kth);
  counts[row] = rows.k;
  rows.thresholds[row] = distances[kth];
}

/**
 * Offers every pair of a distance tile (tile[a * ldc + b] between rows i0 + a and j0 + b; b > a only
 * when `diagonal`) to both rows, where below their thresholds.
 */
export function offerTile(
  rows: CandidateRows,
  tile: Float64Array,
  ldc: number,
  na: number,
  nb: number,
  i0: number,
  j0: number,
  diagonal: boolean,
): void {
  const top = rows.thresholds;
  for (let a = 0; a < na; a++) {
    const i = i0 + a;
    const row = a * ldc - j0;
    let topI = top[i];
    for (let j = diagonal ? i + 1 : j0; j < j0 + nb; j++) {
      const dist = tile[row + j];
      if (dist < topI) {
        offerCandidate(rows, i, dist, j);
        topI = top[i];
      }
      if (dist < top[j]) offerCandidate(rows, j, dist, i);
    }
  }
}

/** The k closest candidates of every row, ascending by distance then index, as a sorted heap. */
export function sortedCandidates(rows: CandidateRows): NeighborHeap {
  const { n, k, capacity, distances, indices, counts } = rows;
  const heap = createNeighborHeap(n, k);
  heap.thresholds.fill(Number.NEGATIVE_INFINITY);
  for (let row = 0; row < n; row++) {
    const base = row * capacity;
    const count = counts[row];
    const kept = Math.min(k, count);
    if (kept > 0 && count > kept) selectSmallest(distances, indices, base, base + count, base + kept - 1);
    sortRange(distances, indices, base, base + kept);
    heap.distances.set(distances.subarray(base, base + kept), row * k);
    heap.indices.set(indices.subarray(base, base + kept), row * k);
  }
  return heap;
}

/** Candidate a orders before b: closer, or as close with the smaller index. */
function before(d: Float64Array, x: Int32Array, a: number, b: number): boolean {
  return d[a] < d[b] || (d[a] === d[b] && x[a] < x[b]);
}

function swap(d: Float64Array, x: Int32Array, a: number, b: number): void {
  const t = d[a];
  d[a] = d[b];
  d[b] = t;
  const u = x[a];
  x[a] = x[b];
  x[b] = u;
}

/**
 * Partitions [lo, hi) around a median-of-three pivot moved to hi - 1; returns the pivot's final place
 * (everything before it orders before it, everything after it after).
 */
function partition(d: Float64Array, x: Int32Array, lo: number, hi: number): number {
  const r = hi - 1;
  const m = (lo + r) >> 1;
  if (before(d, x, m, lo)) swap(d, x, m, lo);
  if (before(d, x, r, lo)) swap(d, x, r, lo);
  if (before(d, x, r, m)) swap(d, x, r, m);
  swap(d, x, m, r);
  let store = lo;
  for (let i = lo; i < r; i++) {
    if (before(d, x, i, r)) {
      swap(d, x, i, store);
      store++;
    }
  }
  swap(d, x, store, r);
  return store;
}

/** Reorders [lo, hi) so that `kth` holds the element of its rank and everything before it orders before it. */
export function selectSmallest(d: Float64Array, x: Int32Array, lo: number, hi: number, kth: number): void {
  while (hi - lo > 1) {
    const p = partition(d, x, lo, hi);
    if (p === kth) return;
    if (p < kth) lo = p + 1;
    else hi = p;
  }
}

/** Sorts [lo, hi) by distance, then index (quicksort, insertion sort below 16 elements). */
export function sortRange(d: Float64Array, x: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const p = partition(d, x, lo, hi);
    // Recurse into the smaller side, loop on the larger: depth stays logarithmic.
    if (p - lo < hi - p - 1) {
      sortRange(d, x, lo, p);
      lo = p + 1;
    } else {
      sortRange(d, x, p + 1, hi);
      hi = p;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const dv = d[i];
    const xv = x[i];
    let j = i - 1;
    while (j >= lo && (d[j] > dv || (d[j] === dv && x[j] > xv))) {
      d[j + 1] = d[j];
      x[j + 1] = x[j];
      j--;
    }
    d[j + 1] = dv;
    x[j + 1] = xv;
  }
}
