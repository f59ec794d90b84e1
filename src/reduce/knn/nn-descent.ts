/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011, "Efficient k-nearest neighbor
 * graph construction for generic similarity measures"), structured as in pynndescent: seed the graph
 * from a random-projection forest, then repeatedly join each point's sampled new and old neighbours
 * (including reverse neighbours), since "a neighbour of a neighbour is likely a neighbour". Stops when
 * fewer than `delta * n * k` heap updates happen in a round. Single-threaded and driven by one seeded
 * generator, so the result is deterministic for a seed.
 */
import type { Rng } from '../rng.js';
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
 * pynndescent's defaults (NNDescent.__init__): trees = min(64, 5 + round(sqrt(n) / 20)),
 * leaf size max(10, k), candidates min(60, k), rounds max(5, round(log2 n)), delta 0.001.
 */
export function defaultNnDescentParams(n: number, k: number): NnDescentParams {
  return {
    trees: Math.min(64, 5 + Math.round(Math.sqrt(n) / 20)),
    leafSize: Math.max(10, k),
    maxCandidates: Math.min(60, k),
    maxIterations: Math.max(5, Math.round(Math.log2(Math.max(2, n)))),
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
  const top = heap.distances;
  for (let iter = 0; iter < params.maxIterations; iter++) {
    buildCandidates(heap, newCand, oldCand, rng);
    let updates = 0;
    for (let i = 0; i < n; i++) {
      const base = i * c;
      for (let a = 0; a < c; a++) {
        const p = newCand.indices[base + a];
        if (p < 0) continue;
        // new x new (each unordered pair once) and new x old.
        for (let b = a + 1; b < c; b++) {
          const q = newCand.indices[base + b];
          if (q < 0) continue;
          const dist = squaredDistance(data, d, p, q);
          if (dist < top[p * k]) updates += heapPush(heap, p, dist, q, 1);
          if (dist < top[q * k]) updates += heapPush(heap, q, dist, p, 1);
        }
        for (let b = 0; b < c; b++) {
          const q = oldCand.indices[base + b];
          if (q < 0 || q === p) continue;
          const dist = squaredDistance(data, d, p, q);
          if (dist < top[p * k]) updates += heapPush(heap, p, dist, q, 1);
          if (dist < top[q * k]) updates += heapPush(heap, q, dist, p, 1);
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
