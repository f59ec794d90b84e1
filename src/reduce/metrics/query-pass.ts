/**
 * One streaming pass over all n rows for a set of query rows, with the blocked distance kernel of kNN:
 * it finds each query's exact k nearest neighbours (self excluded) and, optionally, counts for given
 * "probe" rows how many rows are strictly closer to the query than the probe is, i.e. the probe's rank in
 * the query's distance ordering (rank = 1 + count, self excluded). This is what trustworthiness needs
 * (sklearn.manifold.trustworthiness sorts full distance rows; counting needs no O(n) memory per query).
 */
import { blockDistances, distanceWorkspace, gatherRowBlock, type RowBlock } from '../knn/block-distances.js';
import { kdTreeQueryKnn } from '../knn/kd-tree.js';
import { createNeighborHeap, heapPushNew, sortNeighborHeap } from '../knn/neighbor-heap.js';

const BLOCK_ROWS = 128;

export interface QueryPassResult {
  /** m * k neighbour indices of each query, ascending distance (ties by index). */
  neighbors: Int32Array;
  /** m * p: number of rows (other than the query) strictly closer to the query than each probe. */
  closerCounts: Int32Array | null;
}

/**
 * `probes`: m * p row indices per query (or null). The probe's own distance is computed with exactly the
 * kernel's arithmetic, so the probe never counts as closer than itself.
 */
export function queryPass(
  data: Float32Array,
  n: number,
  d: number,
  queries: Int32Array,
  k: number,
  probes: Int32Array | null = null,
  probesPerQuery = 0,
): QueryPassResult {
  const m = queries.length;
  const heap = createNeighborHeap(m, k);
  const p = probesPerQuery;
  const counts = probes ? new Int32Array(m * p) : null;
  // TypeScript sums (not WebAssembly): exact ties in the original space then rank as scikit-learn
  // ranks them (its reference values in test/reduce/metrics are matched to the last digit).
  const {
    blocks: [qBlock, rBlock],
    out,
  } = distanceWorkspace([BLOCK_ROWS, BLOCK_ROWS], d, false);
  const thresholds = new Float64Array(BLOCK_ROWS * p);
  const slotOf = new Int32Array(BLOCK_ROWS * p);
  const hist = new Int32Array(p + 1);
  for (let qb = 0; qb < m; qb += BLOCK_ROWS) {
    const qEnd = Math.min(m, qb + BLOCK_ROWS);
    gatherRowBlock(qBlock, data, queries, qb, qEnd);
    if (probes) prepareThresholds(data, d, qBlock, qb, qEnd, probes, p, thresholds, slotOf);
    const blockCounts = new Int32Array((qEnd - qb) * (p + 1));
    for (let rb = 0; rb < n; rb += BLOCK_ROWS) {
      const rEnd = Math.min(n, rb + BLOCK_ROWS);
      gatherRowBlock(rBlock, data, null, rb, rEnd);
      const stride = blockDistances(qBlock, rBlock, out);
      for (let qi = 0; qi < qEnd - qb; qi++) {
        const q = qb + qi;
        const self = queries[q];
        const row = qi * stride - rb;
        const top = heap.thresholds;
        for (let j = rb; j < rEnd; j++) {
          if (j === self) continue;
          const dist = out[row + j];
          if (dist < top[q]) heapPushNew(heap, q, dist, j, 0);
        }
        if (probes) {
          // Sorted thresholds: position = how many probes are at distance <= dist; a row at that
          // position is closer than every probe after it.
          hist.fill(0);
          const th = qi * p;
          for (let j = rb; j < rEnd; j++) {
            if (j === self) continue;
            const dist = out[row + j];
            let lo = 0;
            let hi = p;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (thresholds[th + mid] <= dist) lo = mid + 1;
              else hi = mid;
            }
            hist[lo]++;
          }
          for (let t = 0; t <= p; t++) blockCounts[qi * (p + 1) + t] += hist[t];
        }
      }
    }
    if (probes && counts) {
      for (let qi = 0; qi < qEnd - qb; qi++) {
        let running = 0;
        for (let t = 0; t < p; t++) {
          running += blockCounts[qi * (p + 1) + t];
          counts[(qb + qi) * p + slotOf[qi * p + t]] = running;
        }
      }
    }
  }
  sortNeighborHeap(heap);
  return { neighbors: heap.indices, closerCounts: counts };
}

/**
 * Squared distances from each query in the block to its probes, with the kernel's exact arithmetic
 * (float64 values, sequential dot product, |a|^2 + |b|^2 - 2 a.b clamped at 0), sorted ascending;
 * `slotOf` remembers which probe each sorted position came from.
 */
function prepareThresholds(
  data: Float32Array,
  d: number,
  qBlock: RowBlock,
  qb: number,
  qEnd: number,
  probes: Int32Array,
  p: number,
  thresholds: Float64Array,
  slotOf: Int32Array,
): void {
  const pairs: [number, number][] = [];
  for (let qi = 0; qi < qEnd - qb; qi++) {
    pairs.length = 0;
    const qo = qi * d;
    for (let t = 0; t < p; t++) {
      const j = probes[(qb + qi) * p + t];
      let dot = 0;
      let nj = 0;
      for (let c = 0; c < d; c++) {
        const z = data[j * d + c];
        dot += qBlock.values[qo + c] * z;
        nj += z * z;
      }
      const dist = qBlock.norms[qi] + nj - 2 * dot;
      pairs.push([Math.max(dist, 0), t]);
    }
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < p; t++) {
      thresholds[qi * p + t] = pairs[t][0];
      slotOf[qi * p + t] = pairs[t][1];
    }
  }
}

/** Up to this many dimensions a k-d tree beats the blocked scan for neighbour queries. */
export const KD_TREE_MAX_DIMS = 3;

/** Exact neighbours of the queries in a map: k-d tree for 2-3 dims, the blocked scan otherwise. */
export function mapNeighbors(
  emb: Float32Array,
  n: number,
  dims: number,
  queries: Int32Array,
  k: number,
): Int32Array {
  return dims <= KD_TREE_MAX_DIMS
    ? kdTreeQueryKnn(emb, n, dims, queries, k)
    : queryPass(emb, n, dims, queries, k).neighbors;
}
