/**
 * Exact k nearest neighbours by blocked brute force: rows are taken in blocks of BLOCK_ROWS, every pair
 * of blocks (including a block with itself) goes through the `blockDistances` kernel once, and each
 * pair's distance is offered to both rows, so every distance is computed once (half the work of a
 * plain query-by-query search). Rows collect their candidates in buffers (candidate-rows.ts); a pair
 * reaches a row at most once, so no duplicate check.
 */
import { blockDistances, distanceWorkspace, gatherRowBlock } from './block-distances.js';
import { candidateRowsDoubles, createCandidateRows, offerTile, sortedCandidates } from './candidate-rows.js';
import type { NeighborHeap } from './neighbor-heap.js';

/** 128 rows of 50 float64 dims is 50 KB per block and 128 KB of output: L2-sized. */
const BLOCK_ROWS = 128;

/**
 * The exact k nearest neighbours of every row (self excluded), as squared distances, in a sorted
 * heap (each row ascending by distance, then index, as `sortNeighborHeap` leaves it). `k` must be at
 * most n - 1.
 */
export function exactKnnHeap(data: Float32Array, n: number, d: number, k: number): NeighborHeap {
  return exactKnnHeapPart(data, n, d, k, 0, 1);
}

/**
 * One thread's share of `exactKnnHeap`: the row blocks whose number is `part` modulo `parts` (blocks
 * shrink along the triangle, so interleaving balances the work), each against itself and every later
 * block. Every pair belongs to exactly one part; `mergeSortedHeaps` combines the parts' sorted heaps.
 */
export function exactKnnHeapPart(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  part: number,
  parts: number,
): NeighborHeap {
  const {
    blocks: [a, b],
    out,
    space,
  } = distanceWorkspace([BLOCK_ROWS, BLOCK_ROWS], d, true, candidateRowsDoubles(n, k));
  // The candidate buffers share the kernels' memory, so a tile's offers run in WebAssembly too.
  const rows = createCandidateRows(n, k, space);
  for (let ib = part * BLOCK_ROWS; ib < n; ib += parts * BLOCK_ROWS) {
    const iEnd = Math.min(n, ib + BLOCK_ROWS);
    gatherRowBlock(a, data, null, ib, iEnd);
    for (let jb = ib; jb < n; jb += BLOCK_ROWS) {
      const jEnd = Math.min(n, jb + BLOCK_ROWS);
      gatherRowBlock(b, data, null, jb, jEnd);
      const stride = blockDistances(a, b, out, jb === ib);
      if (space.offerTile) space.offerTile(out, stride, iEnd - ib, jEnd - jb, ib, jb, jb === ib, rows);
      else offerTile(rows, out, stride, iEnd - ib, jEnd - jb, ib, jb, jb === ib);
    }
  }
  return sortedCandidates(rows);
}
