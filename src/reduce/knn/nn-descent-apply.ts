/**
 * NN-descent's apply step (nn-descent-steps.ts): offers the updates the generate steps buffered to the
 * heap rows of this thread, in WebAssembly when the heap lies in a shared WebAssembly memory
 * (`createNnDescentState`, asm/nn-descent.ts), else with `heapPush`.
 *
 * Nearly every update passes the distance test and most name a neighbour the row already holds, so
 * the cost is the duplicate check (a scan of the row's k = 90 indices), which the WebAssembly kernel
 * does four at a time. And the generate steps write updates in the order they measure them, so
 * consecutive updates land on rows far apart: at a million points each push missed the cache on its
 * row's heap (~0.8 KB at k = 90). So the updates are first grouped by blocks of `BUCKET_ROWS`
 * consecutive rows (a stable counting sort, `CHUNK` updates at a time), then pushed bucket by bucket.
 * Every row still receives its updates in the same order (slice, then generation order), so the graph
 * is exactly the one of pushing them as they come.
 */
import { arenaFloat32, arenaInt32 } from '../wasm-arena.js';
import { instantiateWasm, type WasmMemory } from '../wasm-modules.js';
import { heapPush } from './neighbor-heap.js';
import type { NnDescentState } from './nn-descent-steps.js';

/** log2 of the rows per bucket: 1,024 rows of a k = 90 heap are ~0.8 MB, about a core's L2. */
const BUCKET_LOG2 = 10;
/** Updates grouped at a time (12 bytes each): bounds the scratch whatever the step's size. */
const CHUNK = 1 << 20;
/** Bytes of one thread's scratch in the heap's memory. */
export const APPLY_SCRATCH_BYTES = 3 * 4 * CHUNK + 3 * 64;

/** asm/nn-descent.ts's exports. */
export interface NnDescentExports {
  applyUpdates(
    rows: number,
    cols: number,
    dists: number,
    count: number,
    indices: number,
    distances: number,
    flags: number,
    thresholds: number,
    k: number,
  ): number;
}

/** A thread's scratch for the grouped updates: in the heap's WebAssembly memory when it has one. */
export class ApplyScratch {
  /** `chunk`: updates grouped at a time (tests make it small to cross chunk boundaries). */
  constructor(private readonly chunk = CHUNK) {}

  private starts: Int32Array = new Int32Array(0);
  private fill: Int32Array = new Int32Array(0);
  rows: Int32Array = new Int32Array(0);
  cols: Int32Array = new Int32Array(0);
  dists: Float32Array = new Float32Array(0);
  private instance: NnDescentExports | null = null;

  /** This thread's instance of asm/nn-descent.ts over the heaps' memory. */
  kernel(memory: WasmMemory): NnDescentExports {
    this.instance ??= instantiateWasm<NnDescentExports>('nn-descent', memory);
    return this.instance;
  }

  prepare(memory: WasmMemory | undefined, buckets: number): { starts: Int32Array; fill: Int32Array } {
    if (this.rows.length === 0) {
      if (memory) {
        this.rows = arenaInt32(memory, this.chunk);
        this.cols = arenaInt32(memory, this.chunk);
        this.dists = arenaFloat32(memory, this.chunk);
      } else {
        this.rows = new Int32Array(this.chunk);
        this.cols = new Int32Array(this.chunk);
        this.dists = new Float32Array(this.chunk);
      }
    }
    if (this.starts.length < buckets + 1) {
      this.starts = new Int32Array(buckets + 1);
      this.fill = new Int32Array(buckets + 1);
    }
    return { starts: this.starts, fill: this.fill };
  }
}

/**
 * Offers the buffered updates of every slice (in slice order) whose row lies in [from, to) to the heap;
 * returns the heap updates made.
 */
export function applyUpdatesGrouped(
  state: NnDescentState,
  from: number,
  to: number,
  slices: number,
  scratch: ApplyScratch,
): number {
  const buckets = ((to - from) >> BUCKET_LOG2) + 1;
  const { starts, fill } = scratch.prepare(state.memory, buckets);
  const chunk = scratch.rows.length;
  let updates = 0;
  // Cursor (s, e): slice s, update e, where the next chunk starts; (s2, e2) where it ends.
  let s = 0;
  let e = 0;
  for (;;) {
    starts.fill(0, 0, buckets + 1);
    let total = 0;
    let s2 = s;
    let e2 = e;
    while (s2 < slices) {
      const pairs = state.pairs[s2];
      const count = state.counts[s2];
      for (; e2 < count && total < chunk; e2++) {
        const p = pairs[2 * e2];
        if (p >= from && p < to) {
          starts[((p - from) >> BUCKET_LOG2) + 1]++;
          total++;
        }
      }
      if (e2 < count) break;
      s2++;
      e2 = 0;
    }
    for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
    fill.set(starts.subarray(0, buckets));
    // Scatter the chunk's updates, stable, into the scratch by bucket.
    const { rows, cols, dists } = scratch;
    while (s < s2 || (s === s2 && e < e2)) {
      const pairs = state.pairs[s];
      const sliceDists = state.dists[s];
      const stop = s < s2 ? state.counts[s] : e2;
      for (; e < stop; e++) {
        const p = pairs[2 * e];
        if (p >= from && p < to) {
          const at = fill[(p - from) >> BUCKET_LOG2]++;
          rows[at] = p;
          cols[at] = pairs[2 * e + 1];
          dists[at] = sliceDists[e];
        }
      }
      if (s === s2) break;
      s++;
      e = 0;
    }
    updates += pushAll(state, scratch, total);
    if (s2 >= slices) return updates;
  }
}

/** Pushes the first `total` grouped updates into the heap. */
function pushAll(state: NnDescentState, scratch: ApplyScratch, total: number): number {
  const { heap } = state;
  const { rows, cols, dists } = scratch;
  if (state.memory) {
    return scratch
      .kernel(state.memory)
      .applyUpdates(
        rows.byteOffset,
        cols.byteOffset,
        dists.byteOffset,
        total,
        heap.indices.byteOffset,
        heap.distances.byteOffset,
        heap.isNew.byteOffset,
        heap.thresholds.byteOffset,
        heap.k,
      );
  }
  let updates = 0;
  for (let at = 0; at < total; at++) updates += heapPush(heap, rows[at], dists[at], cols[at], 1);
  return updates;
}
