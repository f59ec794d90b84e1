/**
 * k nearest reference rows of each query row (Euclidean): the neighbours of new points among the
 * points of an existing map (placement, docs/architecture.md section 4). Unlike `knn`, queries and
 * reference are different matrices and a query is never its own neighbour.
 *
 * Exact: blocked brute force through the `blockDistances` kernel. Approximate: a forest of
 * random-projection trees built over the reference (Dasgupta & Freund 2008, as annoy and pynndescent
 * use them); each query walks every tree to one leaf and the union of those leaves is measured exactly.
 * 'auto' is exact while nQuery x nRef x d stays small, approximate above.
 */
import { mulberry32, type Rng, randomInt } from '../rng.js';
import { blockDistances, distanceWorkspace, gatherRowBlock } from './block-distances.js';
import { createNeighborHeap, heapPush, heapPushNew, sortNeighborHeap } from './neighbor-heap.js';
import { RpMarginKernel } from './rp-margin-kernel.js';

export interface QueryKnnOptions {
  /** 'auto': exact up to `QUERY_KNN_DEFAULTS.exactMaxWork` multiply-adds, else approximate. */
  method?: 'auto' | 'exact' | 'approx';
  /** Seed of the random projections. */
  seed?: number;
  /** Trees of the approximate method. */
  trees?: number;
  /** Largest leaf of the approximate method's trees. */
  leafSize?: number;
  /** False: the trees' margins in TypeScript (tests compare both; the same trees either way). */
  wasm?: boolean;
}

export const QUERY_KNN_DEFAULTS = Object.freeze({
  method: 'auto' as const,
  seed: 0,
  /** nQuery x nRef x d above which 'auto' is approximate (about a second of exact search on one core). */
  exactMaxWork: 2e9,
  /**
   * Forest size. Measured on the demo CNN features (PCA-50 of 60k reference rows, 1,000 of 10k held-out
   * queries, k = 15): leaves of up to 100 points, 8 trees find 0.91 of the exact neighbours (10 trees:
   * 0.95 for 20% more time, 6 trees: 0.86). Building the trees is most of the cost. Placement needs
   * neighbours in the right region more than the exact ones: the held-out points' label accuracy in
   * bench/tsne/placement.ts stays within 0.01 of a joint map's.
   */
  trees: 8,
  leafSize: 100,
});

export interface QueryKnnResult {
  /** nQuery * k reference indices, row-major, by ascending distance. */
  indices: Int32Array;
  /** nQuery * k Euclidean distances (not squared). */
  distances: Float32Array;
  /** The requested k clamped to nRef. */
  k: number;
  method: 'exact' | 'approx';
}

const BLOCK_ROWS = 128;

/** 'auto' resolved for nQuery queries into nRef points of d dims. */
export function resolveQueryKnnMethod(
  nQuery: number,
  nRef: number,
  d: number,
  method: QueryKnnOptions['method'] = QUERY_KNN_DEFAULTS.method,
): 'exact' | 'approx' {
  if (method !== 'auto') return method;
  return nQuery * nRef * d > QUERY_KNN_DEFAULTS.exactMaxWork ? 'approx' : 'exact';
}

/** The k nearest rows of `reference` (nRef x d) for every row of `queries` (nQuery x d). Data must be finite. */
export function queryKnn(
  reference: Float32Array,
  nRef: number,
  queries: Float32Array,
  nQuery: number,
  d: number,
  k: number,
  options: QueryKnnOptions = {},
): QueryKnnResult {
  const kk = Math.max(0, Math.min(Math.floor(k), nRef));
  const method = resolveQueryKnnMethod(nQuery, nRef, d, options.method);
  const heap = createNeighborHeap(nQuery, kk);
  if (kk > 0 && nQuery > 0) {
    if (method === 'exact') exactQuery(reference, nRef, queries, nQuery, d, heap);
    else {
      const rng = mulberry32(options.seed ?? QUERY_KNN_DEFAULTS.seed);
      const trees = options.trees ?? QUERY_KNN_DEFAULTS.trees;
      const leafSize = Math.max(kk, options.leafSize ?? QUERY_KNN_DEFAULTS.leafSize);
      forestQuery(reference, nRef, queries, nQuery, d, heap, trees, leafSize, rng, options.wasm ?? true);
    }
  }
  sortNeighborHeap(heap);
  const distances = new Float32Array(nQuery * kk);
  for (let i = 0; i < distances.length; i++) distances[i] = Math.sqrt(heap.distances[i]);
  return { indices: heap.indices, distances, k: kk, method };
}

type Heap = ReturnType<typeof createNeighborHeap>;

function exactQuery(
  reference: Float32Array,
  nRef: number,
  queries: Float32Array,
  nQuery: number,
  d: number,
  heap: Heap,
): void {
  const top = heap.thresholds;
  const {
    blocks: [a, b],
    out,
  } = distanceWorkspace([BLOCK_ROWS, BLOCK_ROWS], d);
  for (let ib = 0; ib < nQuery; ib += BLOCK_ROWS) {
    const iEnd = Math.min(nQuery, ib + BLOCK_ROWS);
    gatherRowBlock(a, queries, null, ib, iEnd);
    for (let jb = 0; jb < nRef; jb += BLOCK_ROWS) {
      const jEnd = Math.min(nRef, jb + BLOCK_ROWS);
      gatherRowBlock(b, reference, null, jb, jEnd);
      const stride = blockDistances(a, b, out);
      for (let i = ib; i < iEnd; i++) {
        const row = (i - ib) * stride - jb;
        for (let j = jb; j < jEnd; j++) {
          const dist = out[row + j];
          if (dist < top[i]) heapPushNew(heap, i, dist, j, 0);
        }
      }
    }
  }
}

/**
 * A random-projection tree that keeps its hyperplanes, so new points can be routed to a leaf. Node t
 * is internal when `left[t] >= 0`: its plane is `normals[t*d ..] . x + offsets[t]`, positive to the left.
 * A leaf's points are `order[leafStart[t] .. leafEnd[t])`.
 */
interface RpTree {
  order: Int32Array;
  left: Int32Array;
  right: Int32Array;
  normals: Float64Array;
  offsets: Float64Array;
  leafStart: Int32Array;
  leafEnd: Int32Array;
}

function buildTree(
  data: Float32Array,
  n: number,
  d: number,
  leafSize: number,
  rng: Rng,
  kernel: RpMarginKernel | null,
): RpTree {
  const order = kernel ? kernel.order : new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const maxNodes = 2 * Math.ceil((2 * n) / Math.max(1, leafSize)) + 8;
  let capacity = maxNodes;
  let left = new Int32Array(capacity).fill(-1);
  let right = new Int32Array(capacity).fill(-1);
  let normals = new Float64Array(capacity * d);
  let offsets = new Float64Array(capacity);
  let leafStart = new Int32Array(capacity);
  let leafEnd = new Int32Array(capacity);
  let count = 1;
  const grow = () => {
    capacity *= 2;
    const l = new Int32Array(capacity).fill(-1);
    l.set(left);
    left = l;
    const r = new Int32Array(capacity).fill(-1);
    r.set(right);
    right = r;
    const nm = new Float64Array(capacity * d);
    nm.set(normals);
    normals = nm;
    const o = new Float64Array(capacity);
    o.set(offsets);
    offsets = o;
    const s = new Int32Array(capacity);
    s.set(leafStart);
    leafStart = s;
    const e = new Int32Array(capacity);
    e.set(leafEnd);
    leafEnd = e;
  };
  const margins = kernel ? kernel.margins : new Float64Array(n);
  const scratch = new Int32Array(n);
  // Stack of (node, start, end).
  const stack: number[] = [0, 0, n];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const size = end - start;
    if (size <= leafSize) {
      leafStart[node] = start;
      leafEnd[node] = end;
      continue;
    }
    const a = order[start + randomInt(rng, size)];
    let b = order[start + randomInt(rng, size - 1)];
    if (b === a) b = order[end - 1];
    const nb = node * d;
    let offset = 0;
    for (let c = 0; c < d; c++) {
      const xa = data[a * d + c];
      const xb = data[b * d + c];
      normals[nb + c] = xa - xb;
      offset -= (xa - xb) * (xa + xb) * 0.5;
    }
    offsets[node] = offset;
    if (kernel) kernel.compute(normals, nb, offset, start, end);
    else for (let p = start; p < end; p++) margins[p] = margin(normals, nb, offset, data, order[p] * d, d);
    let nLeft = 0;
    for (let p = start; p < end; p++) if (margins[p] > 0) nLeft++;
    let mid: number;
    if (nLeft === 0 || nLeft === size) {
      // Degenerate plane (identical points along it): split the range as it stands, and route
      // queries by a plane that sends everything left (they reach a leaf of equivalent points).
      mid = start + (size >> 1);
      normals.fill(0, nb, nb + d);
      offsets[node] = 1;
    } else {
      let li = start;
      let ri = 0;
      for (let p = start; p < end; p++) {
        if (margins[p] > 0) order[li++] = order[p];
        else scratch[ri++] = order[p];
      }
      order.set(scratch.subarray(0, ri), li);
      mid = start + nLeft;
    }
    while (count + 2 > capacity) grow();
    left[node] = count++;
    right[node] = count++;
    stack.push(left[node], start, mid, right[node], mid, end);
  }
  // The kernel's order is reused by the next tree.
  return { order: kernel ? order.slice() : order, left, right, normals, offsets, leafStart, leafEnd };
}

/**
 * offset + normals[nb..nb + d) . x[at..at + d), summed on four accumulators (a single one is bound by
 * the latency of its additions: the forest's build was half of a placement's time).
 */
function margin(
  normals: Float64Array,
  nb: number,
  offset: number,
  x: Float32Array,
  at: number,
  d: number,
): number {
  let m0 = offset;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let c = 0;
  for (; c + 4 <= d; c += 4) {
    m0 += normals[nb + c] * x[at + c];
    m1 += normals[nb + c + 1] * x[at + c + 1];
    m2 += normals[nb + c + 2] * x[at + c + 2];
    m3 += normals[nb + c + 3] * x[at + c + 3];
  }
  for (; c < d; c++) m0 += normals[nb + c] * x[at + c];
  return m0 + m1 + (m2 + m3);
}

function leafOf(tree: RpTree, x: Float32Array, row: number, d: number): number {
  let node = 0;
  const o = row * d;
  while (tree.left[node] >= 0) {
    const m = margin(tree.normals, node * d, tree.offsets[node], x, o, d);
    node = m > 0 ? tree.left[node] : tree.right[node];
  }
  return node;
}

function forestQuery(
  reference: Float32Array,
  nRef: number,
  queries: Float32Array,
  nQuery: number,
  d: number,
  heap: Heap,
  trees: number,
  leafSize: number,
  rng: Rng,
  wasm: boolean,
): void {
  const top = heap.thresholds;
  const {
    blocks: [a, b],
    out,
  } = distanceWorkspace([BLOCK_ROWS, leafSize], d);
  const leafOfQuery = new Int32Array(nQuery);
  const byLeaf = new Int32Array(nQuery);
  const kernel = wasm ? RpMarginKernel.over(reference, nRef, d) : null;
  for (let t = 0; t < trees; t++) {
    const tree = buildTree(reference, nRef, d, leafSize, rng, kernel);
    // Queries grouped by leaf (counting sort), so each leaf's rows are gathered once per group.
    const leaves = tree.left.length;
    const counts = new Int32Array(leaves + 1);
    for (let i = 0; i < nQuery; i++) {
      leafOfQuery[i] = leafOf(tree, queries, i, d);
      counts[leafOfQuery[i] + 1]++;
    }
    for (let l = 0; l < leaves; l++) counts[l + 1] += counts[l];
    const fill = counts.slice(0, leaves);
    for (let i = 0; i < nQuery; i++) byLeaf[fill[leafOfQuery[i]]++] = i;
    for (let leaf = 0; leaf < leaves; leaf++) {
      const qStart = counts[leaf];
      const qEnd = counts[leaf + 1];
      if (qStart === qEnd) continue;
      const start = tree.leafStart[leaf];
      const end = tree.leafEnd[leaf];
      gatherRowBlock(b, reference, tree.order, start, end);
      for (let q0 = qStart; q0 < qEnd; q0 += BLOCK_ROWS) {
        const q1 = Math.min(qEnd, q0 + BLOCK_ROWS);
        gatherRowBlock(a, queries, byLeaf, q0, q1);
        const stride = blockDistances(a, b, out);
        for (let r = 0; r < q1 - q0; r++) {
          const i = byLeaf[q0 + r];
          for (let p = 0; p < end - start; p++) {
            const dist = out[r * stride + p];
            // heapPush skips a point already found through another tree.
            if (dist < top[i]) heapPush(heap, i, dist, tree.order[start + p], 0);
          }
        }
      }
    }
  }
  // A query whose leaves held fewer than k distinct points (lopsided splits) is searched exactly.
  for (let i = 0; i < nQuery; i++) {
    if (top[i] !== Number.POSITIVE_INFINITY) continue;
    gatherRowBlock(a, queries, null, i, i + 1);
    for (let jb = 0; jb < nRef; jb += leafSize) {
      const jEnd = Math.min(nRef, jb + leafSize);
      gatherRowBlock(b, reference, null, jb, jEnd);
      blockDistances(a, b, out);
      for (let j = jb; j < jEnd; j++) if (out[j - jb] < top[i]) heapPush(heap, i, out[j - jb], j, 0);
    }
  }
}
