/**
 * Fixed-size per-row max-heaps of candidate neighbours, stored flat (`n * k`): the root of row i is at
 * `i * k` and holds the farthest of the k best candidates found so far, so a new candidate is rejected
 * in O(1) when it is not closer. Layout and the "new" flag follow pynndescent's heap (Dong et al. 2011's
 * NN-descent needs to know which neighbours were added since the last round).
 */
export interface NeighborHeap {
  n: number;
  k: number;
  /** Candidate indices, -1 where empty. */
  indices: Int32Array;
  /**
   * Squared distances, +Infinity where empty: float64 for the exact search, float32 for NN-descent
   * (`createNeighborHeap`'s `float32`), whose n * k heap is its largest array at a million points.
   */
  distances: Float64Array | Float32Array;
  /** 1 when the candidate was added since it was last used as a join candidate (NN-descent only). */
  isNew: Uint8Array;
  /**
   * Each row's current root (largest kept squared distance), kept in its own compact array: candidate
   * rejection tests read it for random rows, and n values stay in cache where n * k would not.
   */
  thresholds: Float64Array;
}

export interface HeapStorage {
  /** Float32 distances (half the memory; NN-descent). Default float64. */
  float32?: boolean;
  /** Arrays over SharedArrayBuffer, for worker threads (parallel-nn-descent.ts). */
  shared?: boolean;
}

export function createNeighborHeap(n: number, k: number, storage: HeapStorage = {}): NeighborHeap {
  const buffer = (bytes: number) => (storage.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    n,
    k,
    indices: new Int32Array(buffer(4 * n * k)).fill(-1),
    distances: (storage.float32
      ? new Float32Array(buffer(4 * n * k))
      : new Float64Array(buffer(8 * n * k))
    ).fill(Number.POSITIVE_INFINITY),
    isNew: new Uint8Array(buffer(n * k)),
    thresholds: new Float64Array(buffer(8 * n)).fill(Number.POSITIVE_INFINITY),
  };
}

/**
 * Offers `index` at squared distance `dist` to row `row`. Returns 1 if it was inserted, 0 if it was not
 * closer than the current farthest or is already present.
 */
export function heapPush(
  heap: NeighborHeap,
  row: number,
  dist: number,
  index: number,
  isNew: number,
): number {
  const { k, indices, distances, isNew: flags } = heap;
  if (!(dist < heap.thresholds[row])) return 0;
  const base = row * k;
  for (let j = base; j < base + k; j++) if (indices[j] === index) return 0;
  siftDownFromRoot(indices, distances, flags, base, k, dist, index, isNew);
  heap.thresholds[row] = distances[base];
  return 1;
}

/**
 * As `heapPush` but without the duplicate check, for callers that offer each (row, index) pair at most
 * once (exact search). The caller has already checked `dist < thresholds[row]`.
 */
export function heapPushNew(
  heap: NeighborHeap,
  row: number,
  dist: number,
  index: number,
  isNew: number,
): void {
  const base = row * heap.k;
  siftDownFromRoot(heap.indices, heap.distances, heap.isNew, base, heap.k, dist, index, isNew);
  heap.thresholds[row] = heap.distances[base];
}

/** Replaces the root of one row's heap by (dist, index, flag) and restores the max-heap order. */
function siftDownFromRoot(
  indices: Int32Array,
  distances: Float64Array | Float32Array,
  flags: Uint8Array,
  base: number,
  k: number,
  dist: number,
  index: number,
  flag: number,
): void {
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= k) break;
    const right = left + 1;
    let swap = left;
    if (right < k && distances[base + right] > distances[base + left]) swap = right;
    if (distances[base + swap] <= dist) break;
    distances[base + i] = distances[base + swap];
    indices[base + i] = indices[base + swap];
    flags[base + i] = flags[base + swap];
    i = swap;
  }
  distances[base + i] = dist;
  indices[base + i] = index;
  flags[base + i] = flag;
}

/**
 * Sorts every row in place by ascending distance (ties by ascending index, so results are reproducible),
 * by repeatedly moving the root to the end (heapsort), then fixing tie order.
 */
export function sortNeighborHeap(heap: NeighborHeap): void {
  sortNeighborHeapRows(heap, 0, heap.n);
}

/** `sortNeighborHeap` for rows [from, to) only (threads sort disjoint ranges). */
export function sortNeighborHeapRows(heap: NeighborHeap, from: number, to: number): void {
  const { k, indices, distances, isNew } = heap;
  // Sorted rows are no longer heaps: block further pushes.
  heap.thresholds.fill(Number.NEGATIVE_INFINITY, from, to);
  for (let row = from; row < to; row++) {
    const base = row * k;
    for (let end = k - 1; end > 0; end--) {
      const d = distances[base + end];
      const idx = indices[base + end];
      const f = isNew[base + end];
      distances[base + end] = distances[base];
      indices[base + end] = indices[base];
      isNew[base + end] = isNew[base];
      siftDownFromRoot(indices, distances, isNew, base, end, d, idx, f);
    }
    // Insertion pass: equal distances (duplicates) ordered by index.
    for (let a = base + 1; a < base + k; a++) {
      const d = distances[a];
      const idx = indices[a];
      let b = a - 1;
      while (b >= base && distances[b] === d && indices[b] > idx) {
        distances[b + 1] = distances[b];
        indices[b + 1] = indices[b];
        b--;
      }
      distances[b + 1] = d;
      indices[b + 1] = idx;
    }
  }
}

/**
 * The k nearest of two sorted heaps' rows (`sortNeighborHeap`), by distance then index, into a new
 * sorted heap.
 */
export function mergeSortedHeaps(a: NeighborHeap, b: NeighborHeap): NeighborHeap {
  const { n, k } = a;
  const out = createNeighborHeap(n, k);
  out.thresholds.fill(Number.NEGATIVE_INFINITY);
  for (let row = 0; row < n; row++) {
    const base = row * k;
    let i = base;
    let j = base;
    for (let o = base; o < base + k; o++) {
      // k taken from two rows of k: neither side runs out first. Empty slots (+Infinity) sort last.
      const da = a.distances[i];
      const db = b.distances[j];
      const takeA = da < db || (da === db && a.indices[i] <= b.indices[j]);
      if (takeA) {
        out.distances[o] = a.distances[i];
        out.indices[o] = a.indices[i++];
      } else {
        out.distances[o] = b.distances[j];
        out.indices[o] = b.indices[j++];
      }
    }
  }
  return out;
}
