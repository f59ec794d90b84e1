/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011, "Efficient k-nearest neighbor
 * graph construction for generic similarity measures"), structured as in pynndescent: seed the graph
 * from a random-projection forest, then repeatedly join each point's sampled new and old neighbours
 * (including reverse neighbours), since "a neighbour of a neighbour is likely a neighbour". Stops when
 * fewer than `delta * n * k` heap updates happen in a round. Single-threaded and driven by one seeded
 * generator, so the result is deterministic for a seed.
 */
import type { Rng } from '../rng.js';
import { blockDistances, distanceWorkspace, gatherRowBlock } from './block-distances.js';
import { createNeighborHeap, heapPush, type NeighborHeap } from './neighbor-heap.js';
import { seedHeapFromRpForest, squaredDistance } from './rp-forest.js';

export interface NnDescentParams {
  /** Random-projection trees used to seed the graph. */
  trees: number;
  /** Largest leaf of a random-projection tree. */
  leafSize: number;
  /** Most new (and, separately, old) candidates sampled per point per round. */
  maxCandidates: number;
  /** Most rounds. */
  maxIterations: number;
  /** Early-stop threshold, as a fraction of n * k heap updates per round. */
  delta: number;
}

/**
 * Defaults. Leaf size is pynndescent's (max(10, k)); trees are its min(64, 5 + round(sqrt(n) / 20))
 * capped at 8, candidates and rounds cut from its min(60, k) and max(5, round(log2 n)), because at
 * t-SNE's k = 90 every tree and round is expensive and NN-descent repairs what fewer trees miss.
 * Measured on PCA-50 Fashion-MNIST, k = 90, one core: n = 30k, 14 trees: recall 0.99 in well under the
 * exact search's time, 8 trees: 0.98; n = 70k: 18 trees 0.989, 8 trees 0.966 at a clearly lower cost,
 * and 18 trees with one round only 0.946 at about that same cost, so a second round buys more than
 * extra trees (bench/README.md, 'Where the thresholds come from').
 */
export function defaultNnDescentParams(n: number, k: number): NnDescentParams {
  return {
    trees: Math.min(8, 5 + Math.round(Math.sqrt(n) / 20)),
    leafSize: Math.max(10, k),
    maxCandidates: Math.min(20, k),
    maxIterations: 2,
    delta: 0.001,
  };
}

export function nnDescentHeap(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  params: NnDescentParams,
  rng: Rng,
): NeighborHeap {
  const heap = createNeighborHeap(n, k);
  seedHeapFromRpForest(data, n, d, heap, params.trees, params.leafSize, rng);
  fillEmptySlotsRandomly(data, n, d, heap, rng);

  const c = params.maxCandidates;
  const newCand = createNeighborHeap(n, c);
  const oldCand = createNeighborHeap(n, c);
  const top = heap.thresholds;
  const {
    blocks: [newBlock, oldBlock],
    out,
  } = distanceWorkspace([c, c], d);
  const newRows = new Int32Array(c);
  const oldRows = new Int32Array(c);
  for (let iter = 0; iter < params.maxIterations; iter++) {
    buildCandidates(heap, newCand, oldCand, rng);
    let updates = 0;
    for (let i = 0; i < n; i++) {
      const nNew = compactRow(newCand.indices, i * c, c, newRows);
      if (nNew === 0) continue;
      const nOld = compactRow(oldCand.indices, i * c, c, oldRows);
      gatherRowBlock(newBlock, data, newRows, 0, nNew);
      // new x new, each unordered pair once.
      let stride = blockDistances(newBlock, newBlock, out, true);
      for (let a = 0; a < nNew; a++) {
        const p = newRows[a];
        for (let b = a + 1; b < nNew; b++) {
          const q = newRows[b];
          const dist = out[a * stride + b];
          if (dist < top[p]) updates += heapPush(heap, p, dist, q, 1);
          if (dist < top[q]) updates += heapPush(heap, q, dist, p, 1);
        }
      }
      if (nOld === 0) continue;
      // new x old.
      gatherRowBlock(oldBlock, data, oldRows, 0, nOld);
      stride = blockDistances(newBlock, oldBlock, out);
      for (let a = 0; a < nNew; a++) {
        const p = newRows[a];
        for (let b = 0; b < nOld; b++) {
          const q = oldRows[b];
          if (q === p) continue;
          const dist = out[a * stride + b];
          if (dist < top[p]) updates += heapPush(heap, p, dist, q, 1);
          if (dist < top[q]) updates += heapPush(heap, q, dist, p, 1);
        }
      }
    }
    if (updates <= params.delta * n * k) break;
  }
  return heap;
}

/**
 * Samples up to c new and c old candidates per point from its neighbours and reverse neighbours, by
 * random priority (pynndescent's new_build_candidates), then marks the sampled new neighbours as old so
 * each pair is joined once.
 */
function buildCandidates(heap: NeighborHeap, newCand: NeighborHeap, oldCand: NeighborHeap, rng: Rng): void {
  const { n, k, indices, isNew } = heap;
  const c = newCand.k;
  newCand.indices.fill(-1);
  newCand.distances.fill(Number.POSITIVE_INFINITY);
  oldCand.indices.fill(-1);
  oldCand.distances.fill(Number.POSITIVE_INFINITY);
  newCand.thresholds.fill(Number.POSITIVE_INFINITY);
  oldCand.thresholds.fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    for (let s = i * k; s < i * k + k; s++) {
      const j = indices[s];
      if (j < 0) continue;
      const priority = rng();
      const target = isNew[s] ? newCand : oldCand;
      heapPush(target, i, priority, j, 0);
      heapPush(target, j, priority, i, 0);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let s = i * k; s < i * k + k; s++) {
      if (!isNew[s]) continue;
      const j = indices[s];
      for (let t = i * c; t < i * c + c; t++) {
        if (newCand.indices[t] === j) {
          isNew[s] = 0;
          break;
        }
      }
    }
  }
}

/** Rows the forest left short of k candidates (tiny leaves) get random distinct points. */
function fillEmptySlotsRandomly(
  data: Float32Array,
  n: number,
  d: number,
  heap: NeighborHeap,
  rng: Rng,
): void {
  const k = heap.k;
  for (let i = 0; i < n; i++) {
    let tries = 0;
    while (heap.indices[i * k] < 0 && tries < 4 * k + 16) {
      const j = Math.floor(rng() * n);
      tries++;
      if (j === i) continue;
      heapPush(heap, i, squaredDistance(data, d, i, j), j, 1);
    }
    // Still short (very small n): take points in order.
    for (let j = 0; heap.indices[i * k] < 0 && j < n; j++) {
      if (j !== i) heapPush(heap, i, squaredDistance(data, d, i, j), j, 1);
    }
  }
}

/** Copies the valid (>= 0) entries of one candidate row into `out`; returns how many. */
function compactRow(indices: Int32Array, base: number, c: number, out: Int32Array): number {
  let m = 0;
  for (let t = base; t < base + c; t++) if (indices[t] >= 0) out[m++] = indices[t];
  return m;
}
