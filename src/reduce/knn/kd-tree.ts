/**
 * Exact k nearest neighbours in low dimensions (the 2-D/3-D maps) with a k-d tree (Friedman, Bentley &
 * Finkel 1977): median splits on the widest coordinate down to small leaves, then a depth-first search
 * per query that visits the nearer side first and skips a side when the splitting plane is farther than
 * the current k-th neighbour. O(n log n) to build and ~O(log n + k) per query in 2-3 dims, where the
 * blocked brute force of query-pass.ts is O(n) per query (7e8 distances for 10k queries at 70k points).
 */
import { createNeighborHeap, heapPushNew, sortNeighborHeap } from './neighbor-heap.js';

const LEAF_SIZE = 12;

interface KdTree {
  /** Point indices, permuted so every node owns a contiguous range. */
  perm: Int32Array;
  /** Per node: [start, end) into perm, split dimension (-1 for a leaf), split value, children. */
  start: Int32Array;
  end: Int32Array;
  splitDim: Int8Array;
  splitValue: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

function buildKdTree(data: Float32Array, n: number, dims: number): KdTree {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const maxNodes = 2 * Math.ceil(n / (LEAF_SIZE / 2)) + 1;
  const tree: KdTree = {
    perm,
    start: new Int32Array(maxNodes),
    end: new Int32Array(maxNodes),
    splitDim: new Int8Array(maxNodes).fill(-1),
    splitValue: new Float64Array(maxNodes),
    left: new Int32Array(maxNodes).fill(-1),
    right: new Int32Array(maxNodes).fill(-1),
  };
  let count = 1;
  tree.start[0] = 0;
  tree.end[0] = n;
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const lo = tree.start[node];
    const hi = tree.end[node];
    if (hi - lo <= LEAF_SIZE) continue;
    // Widest coordinate of this node's points.
    let best = 0;
    let bestSpread = -1;
    for (let c = 0; c < dims; c++) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let p = lo; p < hi; p++) {
        const v = data[perm[p] * dims + c];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > bestSpread) {
        bestSpread = max - min;
        best = c;
      }
    }
    if (bestSpread <= 0) continue; // all points identical: keep as one (large) leaf
    const mid = (lo + hi) >> 1;
    quickselect(data, dims, perm, lo, hi - 1, mid, best);
    tree.splitDim[node] = best;
    tree.splitValue[node] = data[perm[mid] * dims + best];
    const l = count++;
    const r = count++;
    tree.start[l] = lo;
    tree.end[l] = mid;
    tree.start[r] = mid;
    tree.end[r] = hi;
    tree.left[node] = l;
    tree.right[node] = r;
    stack.push(l, r);
  }
  return tree;
}

/** Reorders perm[lo..hi] so that perm[nth] has the nth smallest coordinate `c`, smaller ones before. */
function quickselect(
  data: Float32Array,
  dims: number,
  perm: Int32Array,
  lo: number,
  hi: number,
  nth: number,
  c: number,
) {
  while (hi > lo) {
    const pivot = data[perm[(lo + hi) >> 1] * dims + c];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[perm[i] * dims + c] < pivot) i++;
      while (data[perm[j] * dims + c] > pivot) j--;
      if (i <= j) {
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}

/**
 * The exact k nearest neighbours (self excluded) of each query row, m * k indices by ascending distance,
 * for low-dimensional data (`dims` <= ~3; correct for any dims, fast only for few). Points tied with the
 * k-th neighbour's distance are kept in visiting order, so ties may resolve differently from a
 * brute-force scan (exact ties are rare in a map, apart from duplicate points).
 */
export function kdTreeQueryKnn(
  data: Float32Array,
  n: number,
  dims: number,
  queries: Int32Array,
  k: number,
): Int32Array {
  const tree = buildKdTree(data, n, dims);
  const m = queries.length;
  const heap = createNeighborHeap(m, k);
  const top = heap.thresholds;
  // Pending nodes with a lower bound on their squared distance to the query.
  const stack = new Int32Array(256);
  const bound = new Float64Array(256);
  const q = new Float64Array(dims);
  for (let qi = 0; qi < m; qi++) {
    const self = queries[qi];
    for (let c = 0; c < dims; c++) q[c] = data[self * dims + c];
    let sp = 0;
    stack[sp] = 0;
    bound[sp++] = 0;
    while (sp > 0) {
      sp--;
      const node = stack[sp];
      // The k-th distance may have shrunk since this node was queued.
      if (bound[sp] > top[qi]) continue;
      const dim = tree.splitDim[node];
      if (dim < 0) {
        for (let p = tree.start[node]; p < tree.end[node]; p++) {
          const j = tree.perm[p];
          if (j === self) continue;
          let dist = 0;
          for (let c = 0; c < dims; c++) {
            const t = data[j * dims + c] - q[c];
            dist += t * t;
          }
          if (dist < top[qi]) heapPushNew(heap, qi, dist, j, 0);
        }
        continue;
      }
      const diff = q[dim] - tree.splitValue[node];
      // Far side queued first so the near side is searched first.
      stack[sp] = diff < 0 ? tree.right[node] : tree.left[node];
      bound[sp++] = diff * diff;
      stack[sp] = diff < 0 ? tree.left[node] : tree.right[node];
      bound[sp++] = 0;
    }
  }
  sortNeighborHeap(heap);
  return heap.indices;
}
