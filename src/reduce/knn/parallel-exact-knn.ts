/**
 * Exact kNN on several threads: this thread and `threads - 1` workers (exact-knn-worker.ts) each
 * take an interleaved share of the row blocks (`exactKnnHeapPart`) over the data in shared memory;
 * each part sorts its own rows, and the parts are merged in part order by distance, then index. Each pair of rows is
 * measured once, by one part, so the work is split, not repeated. For a given thread count the result
 * is deterministic; it equals the one-thread result except, possibly, which of several neighbours at
 * exactly the k-th distance is kept.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import { exactKnnHeapPart } from './exact-knn.js';
import { mergeSortedHeaps, type NeighborHeap } from './neighbor-heap.js';

/** Sorted exact neighbour heaps (as `sortNeighborHeap` leaves them) of every row. */
export async function exactKnnParallel(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  threads: number,
): Promise<NeighborHeap> {
  const shared = new Float32Array(new SharedArrayBuffer(4 * n * d));
  shared.set(data.subarray(0, n * d));
  const { script, isEval } = workerScript(import.meta.url, 'exact-knn-worker');
  const parts: Promise<NeighborHeap>[] = [];
  for (let part = 1; part < threads; part++) {
    parts.push(
      new Promise((resolve, reject) => {
        const worker = new Worker(script, {
          eval: isEval,
          workerData: { data: shared, n, d, k, part, parts: threads },
        });
        worker.once('message', (m: { indices: Int32Array; distances: Float64Array }) => {
          resolve({
            n,
            k,
            indices: m.indices,
            distances: m.distances,
            isNew: new Uint8Array(n * k),
            thresholds: new Float64Array(n),
          });
          void worker.terminate();
        });
        worker.once('error', reject);
      }),
    );
  }
  // Let the workers start before this thread takes its own share.
  await new Promise<void>((resolve) => setImmediate(resolve));
  let merged = exactKnnHeapPart(shared, n, d, k, 0, threads);
  for (const heap of await Promise.all(parts)) merged = mergeSortedHeaps(merged, heap);
  return merged;
}
