/**
 * The steps NN-descent (nn-descent.ts) is made of, each a pure function over flat typed arrays that works
 * on one slice of rows or tree positions, so that one thread or several (parallel-nn-descent.ts) run the
 * same steps. Distances are measured in "generate" steps, which only read the neighbour heap and write
 * candidate updates (row, neighbour, squared distance) into a per-slice buffer; an "apply" step then
 * offers the buffered updates to the heap, each thread taking the updates whose row lies in its own
 * range and reading the slices' buffers in slice order. Every row thus sees the same updates in the same
 * order whatever the thread count, and the graph is the same for any number of threads (pynndescent
 * splits its parallel build the same way: candidate updates generated in parallel, applied by row block).
 */

import { mulberry32 } from '../rng.js';
import type { WasmMemory } from '../wasm-modules.js';
import type { RowBlock } from './block-distances.js';
import { blockDistances, distanceWorkspace, gatherRowBlock } from './block-distances.js';
import { heapPush, type NeighborHeap, sortNeighborHeapRows } from './neighbor-heap.js';
import { ApplyScratch, applyUpdatesGrouped } from './nn-descent-apply.js';
import { buildRpTree } from './rp-forest.js';

/** Rows (or tree positions) a generate step covers, split into one slice per thread. */
export const JOIN_BLOCK = 4096;
export const LEAF_BLOCK = 16384;

/** Everything the steps share; the arrays may live in SharedArrayBuffers (one state, many threads). */
export interface NnDescentState {
  data: Float32Array;
  n: number;
  d: number;
  heap: NeighborHeap;
  /** Sampled join candidates: n x c each ("new" and "old" neighbours and reverse neighbours). */
  newCand: NeighborHeap;
  oldCand: NeighborHeap;
  trees: number;
  leafSize: number;
  /** trees x n: each tree's permutation of the points, leaves contiguous. */
  treeOrder: Int32Array;
  /** trees x n: 1 where a leaf starts in `treeOrder`. */
  leafStart: Uint8Array;
  /** Per slice (thread): updates as (row, neighbour) pairs and squared distances. */
  pairs: Int32Array[];
  dists: Float32Array[];
  /** Per slice: updates written by the last generate step. */
  counts: Int32Array;
  /** The shared WebAssembly memory the heap lies in, when it does (nn-descent-apply.ts). */
  memory?: WasmMemory;
}

export type NnDescentTask =
  | { kind: 'trees'; seed: number }
  | { kind: 'leaves'; tree: number; from: number; to: number }
  | { kind: 'candidates'; seed: number }
  | { kind: 'clear' }
  | { kind: 'join'; from: number; to: number }
  | { kind: 'apply' }
  | { kind: 'finish' };

/**
 * Updates one slice (of `slices`) of a generate step can produce at most, for the buffer sizes: every
 * ordered pair within the leaves that start in it, or every candidate pair of its rows.
 */
export function updateCapacity(n: number, slices: number, leafSize: number, c: number): number {
  const leafRows = Math.ceil(Math.min(LEAF_BLOCK, n) / slices) + leafSize;
  const joinRows = Math.ceil(Math.min(JOIN_BLOCK, n) / slices);
  return Math.max(leafRows * (leafSize - 1), joinRows * (c * (c - 1) + 2 * c * c), 1);
}

/** [from, to) of `part` when [start, end) is cut into `parts` contiguous slices. */
export function sliceOf(start: number, end: number, part: number, parts: number): [number, number] {
  const len = end - start;
  return [start + Math.floor((len * part) / parts), start + Math.floor((len * (part + 1)) / parts)];
}

/** A 32-bit integer hash (murmur3's finaliser) of a seed and a key, as a number in [0, 1). */
export function hashUniform(seed: number, key: number): number {
  let h = Math.imul((key ^ seed) >>> 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Per-thread scratch (distance workspaces), made on first use. */
export class StepScratch {
  private leafSpace: { blocks: RowBlock[]; out: Float64Array } | null = null;
  private joinSpace: { blocks: RowBlock[]; out: Float64Array } | null = null;
  private rows: Int32Array[] = [];
  /** The apply step's grouped updates (nn-descent-apply.ts). */
  readonly apply: ApplyScratch;

  /** `applyChunk`: updates the apply step groups at a time (`ApplyScratch`). */
  constructor(applyChunk?: number) {
    this.apply = new ApplyScratch(applyChunk);
  }

  leaf(state: NnDescentState) {
    this.leafSpace ??= distanceWorkspace([state.leafSize], state.d);
    return this.leafSpace;
  }

  join(state: NnDescentState) {
    const c = state.newCand.k;
    this.joinSpace ??= distanceWorkspace([c, c], state.d);
    if (this.rows.length === 0) this.rows = [new Int32Array(c), new Int32Array(c)];
    return { ...this.joinSpace, rows: this.rows };
  }
}

/**
 * Runs this thread's part (`part` of `parts`) of one task. Returns the heap updates made (apply) or
 * the updates buffered (generate steps, also stored in `counts[part]`); 0 for the others.
 */
export function runNnDescentTask(
  state: NnDescentState,
  task: NnDescentTask,
  part: number,
  parts: number,
  scratch: StepScratch,
): number {
  const [rowFrom, rowTo] = sliceOf(0, state.n, part, parts);
  switch (task.kind) {
    case 'trees':
      for (let t = part; t < state.trees; t += parts) buildTree(state, t, task.seed);
      return 0;
    case 'leaves': {
      const [from, to] = sliceOf(task.from, task.to, part, parts);
      state.counts[part] = leafUpdates(state, task.tree, from, to, part, scratch);
      return state.counts[part];
    }
    case 'candidates':
      buildCandidates(state, task.seed, rowFrom, rowTo);
      return 0;
    case 'clear':
      clearSampledNew(state, rowFrom, rowTo);
      return 0;
    case 'join': {
      const [from, to] = sliceOf(task.from, task.to, part, parts);
      state.counts[part] = joinUpdates(state, from, to, part, scratch);
      return state.counts[part];
    }
    case 'apply':
      return applyUpdatesGrouped(state, rowFrom, rowTo, parts, scratch.apply);
    case 'finish':
      finishRows(state.heap, rowFrom, rowTo);
      return 0;
  }
}

/** Tree t, seeded by (seed, t) alone, into its rows of `treeOrder` / `leafStart`. */
function buildTree(state: NnDescentState, t: number, seed: number): void {
  const { data, n, d, leafSize } = state;
  const { order, leaves } = buildRpTree(data, n, d, leafSize, mulberry32(hashUniform(seed, t) * 4294967296));
  state.treeOrder.set(order, t * n);
  const marks = state.leafStart.subarray(t * n, t * n + n);
  marks.fill(0);
  for (let l = 0; l < leaves.length; l += 2) marks[leaves[l]] = 1;
}

/** Every pair within the leaves of tree `tree` that start at positions [from, to). */
function leafUpdates(
  state: NnDescentState,
  tree: number,
  from: number,
  to: number,
  part: number,
  scratch: StepScratch,
): number {
  const { data, n, heap } = state;
  const top = heap.thresholds;
  const order = state.treeOrder.subarray(tree * n, tree * n + n);
  const marks = state.leafStart.subarray(tree * n, tree * n + n);
  const {
    blocks: [block],
    out,
  } = scratch.leaf(state);
  const pairs = state.pairs[part];
  const dists = state.dists[part];
  let count = 0;
  for (let start = from; start < to; start++) {
    if (!marks[start]) continue;
    let end = start + 1;
    while (end < n && !marks[end]) end++;
    gatherRowBlock(block, data, order, start, end);
    const stride = blockDistances(block, block, out, true);
    for (let p = 0; p < end - start; p++) {
      const i = order[start + p];
      for (let q = p + 1; q < end - start; q++) {
        const j = order[start + q];
        const dist = out[p * stride + q];
        if (dist < top[i]) {
          pairs[2 * count] = i;
          pairs[2 * count + 1] = j;
          dists[count++] = dist;
        }
        if (dist < top[j]) {
          pairs[2 * count] = j;
          pairs[2 * count + 1] = i;
          dists[count++] = dist;
        }
      }
    }
  }
  return count;
}

/**
 * Samples up to c new and c old candidates for rows [from, to) from their neighbours and reverse
 * neighbours, by a hashed priority per heap slot (pynndescent's new_build_candidates, with a hash in
 * place of its random stream so that each row's sample is independent of who builds it).
 */
function buildCandidates(state: NnDescentState, seed: number, from: number, to: number): void {
  const { heap, newCand, oldCand } = state;
  const { n, k, indices, isNew } = heap;
  const c = newCand.k;
  for (const cand of [newCand, oldCand]) {
    cand.indices.fill(-1, from * c, to * c);
    cand.distances.fill(Number.POSITIVE_INFINITY, from * c, to * c);
    cand.thresholds.fill(Number.POSITIVE_INFINITY, from, to);
  }
  for (let i = 0; i < n; i++) {
    const mine = i >= from && i < to;
    for (let s = i * k; s < i * k + k; s++) {
      const j = indices[s];
      if (j < 0 || (!mine && (j < from || j >= to))) continue;
      const priority = hashUniform(seed, s);
      const target = isNew[s] ? newCand : oldCand;
      if (mine) heapPush(target, i, priority, j, 0);
      if (j >= from && j < to) heapPush(target, j, priority, i, 0);
    }
  }
}

/** Marks the neighbours of rows [from, to) that were sampled as new candidates as old. */
function clearSampledNew(state: NnDescentState, from: number, to: number): void {
  const { heap, newCand } = state;
  const { k, indices, isNew } = heap;
  const c = newCand.k;
  for (let i = from; i < to; i++) {
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

/** NN-descent's local join for rows [from, to): new x new and new x old candidate pairs. */
function joinUpdates(
  state: NnDescentState,
  from: number,
  to: number,
  part: number,
  scratch: StepScratch,
): number {
  const { data, heap, newCand, oldCand } = state;
  const top = heap.thresholds;
  const c = newCand.k;
  const {
    blocks: [newBlock, oldBlock],
    out,
    rows: [newRows, oldRows],
  } = scratch.join(state);
  const pairs = state.pairs[part];
  const dists = state.dists[part];
  let count = 0;
  const offer = (p: number, q: number, dist: number) => {
    if (dist < top[p]) {
      pairs[2 * count] = p;
      pairs[2 * count + 1] = q;
      dists[count++] = dist;
    }
  };
  for (let i = from; i < to; i++) {
    const nNew = compactRow(newCand.indices, i * c, c, newRows);
    if (nNew === 0) continue;
    const nOld = compactRow(oldCand.indices, i * c, c, oldRows);
    gatherRowBlock(newBlock, data, newRows, 0, nNew);
    let stride = blockDistances(newBlock, newBlock, out, true);
    for (let a = 0; a < nNew; a++) {
      for (let b = a + 1; b < nNew; b++) {
        const dist = out[a * stride + b];
        offer(newRows[a], newRows[b], dist);
        offer(newRows[b], newRows[a], dist);
      }
    }
    if (nOld === 0) continue;
    gatherRowBlock(oldBlock, data, oldRows, 0, nOld);
    stride = blockDistances(newBlock, oldBlock, out);
    for (let a = 0; a < nNew; a++) {
      for (let b = 0; b < nOld; b++) {
        const q = oldRows[b];
        if (q === newRows[a]) continue;
        const dist = out[a * stride + b];
        offer(newRows[a], q, dist);
        offer(q, newRows[a], dist);
      }
    }
  }
  return count;
}

/** Sorts rows [from, to) and turns their squared distances into distances. */
function finishRows(heap: NeighborHeap, from: number, to: number): void {
  sortNeighborHeapRows(heap, from, to);
  const { k, distances } = heap;
  for (let e = from * k; e < to * k; e++) distances[e] = Math.sqrt(distances[e]);
}

/** Copies the valid (>= 0) entries of one candidate row into `out`; returns how many. */
function compactRow(indices: Int32Array, base: number, c: number, out: Int32Array): number {
  let m = 0;
  for (let t = base; t < base + c; t++) if (indices[t] >= 0) out[m++] = indices[t];
  return m;
}
