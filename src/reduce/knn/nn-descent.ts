/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011, "Efficient k-nearest neighbor
 * graph construction for generic similarity measures"), structured as in pynndescent: seed the graph
 * from a random-projection forest, then repeatedly join each point's sampled new and old neighbours
 * (including reverse neighbours), since "a neighbour of a neighbour is likely a neighbour". Stops when
 * fewer than `delta * n * k` heap updates happen in a round.
 *
 * The run is a fixed sequence of steps (`nnDescentSchedule`; the steps are in nn-descent-steps.ts)
 * that one thread (`nnDescentHeap`) or several (parallel-nn-descent.ts) carry out, with every random
 * choice seeded by the step and the row, so the graph depends on the seed only: the same for any
 * thread count.
 */
import { mulberry32, type Rng } from '../rng.js';
import {
  arenaBytes,
  arenaFloat32,
  arenaFloat64,
  arenaInt32,
  arenaUint8,
  createWasmArena,
} from '../wasm-arena.js';
import { type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import { createNeighborHeap, heapPush, type NeighborHeap } from './neighbor-heap.js';
import { APPLY_SCRATCH_BYTES } from './nn-descent-apply.js';
import {
  hashUniform,
  JOIN_BLOCK,
  LEAF_BLOCK,
  type NnDescentState,
  type NnDescentTask,
  runNnDescentTask,
  StepScratch,
  updateCapacity,
} from './nn-descent-steps.js';
import { squaredDistance } from './rp-forest.js';

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

/**
 * The state of one run: the heap (float32 distances), the candidate heaps, the forest and one update
 * buffer per slice; `shared` puts every array in SharedArrayBuffers for worker threads.
 */
export function createNnDescentState(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  params: NnDescentParams,
  slices: number,
  shared: boolean,
  /** False: the heap in ordinary memory, pushed by TypeScript (tests compare both). */
  wasm = true,
): NnDescentState {
  const storage = { float32: true, shared };
  const c = Math.min(params.maxCandidates, k);
  const leafSize = Math.min(params.leafSize, n);
  const capacity = updateCapacity(n, slices, leafSize, c);
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const inWasm = wasm ? heapInWasmMemory(n, k) : null;
  return {
    data,
    n,
    d,
    heap: inWasm?.heap ?? createNeighborHeap(n, k, storage),
    memory: inWasm?.memory,
    newCand: createNeighborHeap(n, c, storage),
    oldCand: createNeighborHeap(n, c, storage),
    trees: params.trees,
    leafSize,
    treeOrder: new Int32Array(buffer(4 * params.trees * n)),
    leafStart: new Uint8Array(buffer(params.trees * n)),
    pairs: Array.from({ length: slices }, () => new Int32Array(buffer(8 * capacity))),
    dists: Array.from({ length: slices }, () => new Float32Array(buffer(4 * capacity))),
    counts: new Int32Array(buffer(4 * slices)),
  };
}

/** Largest heap put in a WebAssembly memory, with room to spare for the apply steps' scratch. */
const MAX_WASM_HEAP_BYTES = 3 * 1024 ** 3;

/**
 * The neighbour heap (float32 distances) in a shared WebAssembly memory that the apply steps' kernel
 * of every thread imports (asm/nn-descent.ts, nn-descent-apply.ts, wasm-arena.ts); null when the
 * kernel is not built or the heap would not fit. Its arrays are SharedArrayBuffers either way. The
 * candidate heaps stay outside, so that they can be let go before the graph is copied out.
 */
function heapInWasmMemory(n: number, k: number): { heap: NeighborHeap; memory: WasmMemory } | null {
  const bytes = 2 * arenaBytes(4 * n * k) + arenaBytes(n * k) + arenaBytes(8 * n);
  if (!wasmAvailable('nn-descent') || bytes > MAX_WASM_HEAP_BYTES) return null;
  // Room for the apply steps' scratch of two threads; more grows the memory.
  const memory = createWasmArena(bytes + 2 * APPLY_SCRATCH_BYTES);
  const heap: NeighborHeap = {
    n,
    k,
    indices: arenaInt32(memory, n * k).fill(-1),
    distances: arenaFloat32(memory, n * k).fill(Number.POSITIVE_INFINITY),
    isNew: arenaUint8(memory, n * k),
    thresholds: arenaFloat64(memory, n).fill(Number.POSITIVE_INFINITY),
  };
  return { heap, memory };
}

/**
 * Lets go of everything but the heap (candidate heaps, forest, update buffers) once the run is over;
 * returns their bytes, for `releaseMemory`.
 */
export function dropSearchScratch(state: NnDescentState): number {
  const { newCand, oldCand, treeOrder, leafStart, pairs, dists } = state;
  let bytes = treeOrder.byteLength + leafStart.byteLength;
  for (const cand of [newCand, oldCand]) {
    bytes +=
      cand.indices.byteLength +
      cand.distances.byteLength +
      cand.isNew.byteLength +
      cand.thresholds.byteLength;
  }
  for (const a of [...pairs, ...dists]) bytes += a.byteLength;
  const empty = createNeighborHeap(0, 0);
  state.newCand = empty;
  state.oldCand = empty;
  state.treeOrder = new Int32Array(0);
  state.leafStart = new Uint8Array(0);
  state.pairs = [];
  state.dists = [];
  return bytes;
}

/**
 * The sorted graph a run returns. When the heaps lie in a WebAssembly memory, its indices and
 * distances are copied out, so that the memory (candidate heaps, flags, scratch: ~0.5 GB at a million
 * points) is garbage before P is built from the graph; the flags and thresholds are not kept (empty).
 */
export function finishedGraph(state: NnDescentState, shared: boolean): NeighborHeap {
  const { heap } = state;
  if (!state.memory) return heap;
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const indices = new Int32Array(buffer(heap.indices.byteLength));
  indices.set(heap.indices);
  const distances = new Float32Array(buffer(heap.distances.byteLength));
  distances.set(heap.distances);
  return {
    n: heap.n,
    k: heap.k,
    indices,
    distances,
    isNew: new Uint8Array(0),
    thresholds: new Float64Array(0),
  };
}

/**
 * The steps of one run, in order. Each yielded task runs on every thread (each on its own part); the
 * generator receives the summed return values (heap updates after an apply step).
 */
export function* nnDescentSchedule(
  state: NnDescentState,
  params: NnDescentParams,
  seed: number,
): Generator<NnDescentTask, void, number> {
  const { n, heap } = state;
  yield { kind: 'trees', seed };
  for (let tree = 0; tree < state.trees; tree++) {
    for (let from = 0; from < n; from += LEAF_BLOCK) {
      yield { kind: 'leaves', tree, from, to: Math.min(n, from + LEAF_BLOCK) };
      yield { kind: 'apply' };
    }
  }
  fillEmptySlotsRandomly(state.data, n, state.d, heap, mulberry32(seed));
  for (let iter = 0; iter < params.maxIterations; iter++) {
    const roundSeed = (hashUniform(seed, 0x51ed + iter) * 4294967296) >>> 0;
    yield { kind: 'candidates', seed: roundSeed };
    yield { kind: 'clear' };
    let updates = 0;
    for (let from = 0; from < n; from += JOIN_BLOCK) {
      yield { kind: 'join', from, to: Math.min(n, from + JOIN_BLOCK) };
      updates += yield { kind: 'apply' };
    }
    if (updates <= params.delta * n * heap.k) break;
  }
  yield { kind: 'finish' };
}

/**
 * NN-descent on this thread. The heap's rows come back sorted by distance (ties by index), with
 * Euclidean distances (not squared) in float32.
 */
export function nnDescentHeap(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  params: NnDescentParams,
  seed: number,
): NeighborHeap {
  const state = createNnDescentState(data, n, d, k, params, 1, false);
  const scratch = new StepScratch();
  const steps = nnDescentSchedule(state, params, seed);
  let next = steps.next();
  while (!next.done) next = steps.next(runNnDescentTask(state, next.value, 0, 1, scratch));
  dropSearchScratch(state);
  return finishedGraph(state, false);
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
