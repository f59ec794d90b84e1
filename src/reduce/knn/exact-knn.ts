/**
 * Exact k nearest neighbours by blocked brute force: rows are taken in blocks of BLOCK_ROWS, every pair
 * of blocks (including a block with itself) goes through the `blockDistances` kernel once, and each
 * pair's distance is offered to both rows' heaps, so every distance is computed once (half the work of
 * a plain query-by-query search). A pair reaches a row's heap at most once, so no duplicate check.
 */
import { blockDistances, distanceWorkspace, gatherRowBlock } from './block-distances.js';
import { createNeighborHeap, heapPushNew, type NeighborHeap } from './neighbor-heap.js';

/** 128 rows of 50 float64 dims is 50 KB per block and 128 KB of output: L2-sized. */
const BLOCK_ROWS = 128;

/**
 * Fills a neighbour heap with the exact k nearest neighbours of every row (self excluded), as squared
 * distances. `k` must be at most n - 1. Rows are left unsorted (heap order).
 */
export function exactKnnHeap(data: Float32Array, n: number, d: number, k: number): NeighborHeap {
  return exactKnnHeapPart(data, n, d, k, 0, 1);
}

/**
 * One thread's share of `exactKnnHeap`: the row blocks whose number is `part` modulo `parts` (blocks
 * shrink along the triangle, so interleaving balances the work), each against itself and every later
 * block. Every pair belongs to exactly one part; `mergeSortedHeaps` combines the parts' heaps.
 */
export function exactKnnHeapPart(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  part: number,
  parts: number,
): NeighborHeap {
  const heap = createNeighborHeap(n, k);
  const top = heap.thresholds;
  const {
    blocks: [a, b],
    out,
  } = distanceWorkspace([BLOCK_ROWS, BLOCK_ROWS], d);
  for (let ib = part * BLOCK_ROWS; ib < n; ib += parts * BLOCK_ROWS) {
    const iEnd = Math.min(n, ib + BLOCK_ROWS);
    gatherRowBlock(a, data, null, ib, iEnd);
    for (let jb = ib; jb < n; jb += BLOCK_ROWS) {
      const jEnd = Math.min(n, jb + BLOCK_ROWS);
      gatherRowBlock(b, data, null, jb, jEnd);
      const stride = blockDistances(a, b, out, jb === ib);
      for (let i = ib; i < iEnd; i++) {
        const row = (i - ib) * stride - jb;
        for (let j = jb === ib ? i + 1 : jb; j < jEnd; j++) {
          const dist = out[row + j];
          if (dist < top[i]) heapPushNew(heap, i, dist, j, 0);
          if (dist < top[j]) heapPushNew(heap, j, dist, i, 0);
        }
      }
    }
  }
  return heap;
}
