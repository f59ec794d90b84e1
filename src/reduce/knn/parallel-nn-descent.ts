/**
 * NN-descent on several threads: this thread and `threads - 1` workers (nn-descent-worker.ts) share the
 * data, the heaps, the forest and the update buffers in SharedArrayBuffers and run each step of
 * `nnDescentSchedule` on their own part (nn-descent-steps.ts): trees by index, generate steps by slice
 * of the step's block, apply and candidate steps by row range. A step ends when every thread has posted
 * its part back, so a step only ever reads what the previous steps wrote. The graph is the same as
 * `nnDescentHeap`'s on one thread, for any thread count.
 */
import { Worker } from 'node:worker_threads';
import { releaseMemory } from '../release-memory.js';
import { workerScript } from '../worker-script.js';
import type { NeighborHeap } from './neighbor-heap.js';
import {
  createNnDescentState,
  dropSearchScratch,
  finishedGraph,
  type NnDescentParams,
  nnDescentSchedule,
} from './nn-descent.js';
import { runNnDescentTask, StepScratch } from './nn-descent-steps.js';

/** Sorted neighbour heap (Euclidean float32 distances), as `nnDescentHeap` returns it. */
export async function nnDescentParallel(
  data: Float32Array,
  n: number,
  d: number,
  k: number,
  params: NnDescentParams,
  seed: number,
  threads: number,
  /**
   * Adds each step's wall milliseconds under its kind, and the process's CPU milliseconds (every
   * thread) under `<kind> cpu` (a profile, bench/tsne/large-profile.ts).
   */
  stepMs?: Record<string, number>,
): Promise<NeighborHeap> {
  const shared =
    data.buffer instanceof SharedArrayBuffer
      ? data.subarray(0, n * d)
      : new Float32Array(new SharedArrayBuffer(4 * n * d));
  if (shared !== data) shared.set(data.subarray(0, n * d));
  const state = createNnDescentState(shared, n, d, k, params, threads, true);
  const { script, isEval } = workerScript(import.meta.url, 'nn-descent-worker');
  const workers: Worker[] = [];
  try {
    const ready: Promise<unknown>[] = [];
    for (let part = 1; part < threads; part++) {
      const worker = new Worker(script, { eval: isEval, workerData: { state, part, parts: threads } });
      workers.push(worker);
      ready.push(reply(worker));
    }
    await Promise.all(ready);
    const scratch = new StepScratch();
    const steps = nnDescentSchedule(state, params, seed);
    let next = steps.next();
    while (!next.done) {
      const task = next.value;
      const started = stepMs ? performance.now() : 0;
      const cpu = stepMs ? process.cpuUsage() : null;
      const theirs = workers.map((w) => {
        const r = reply(w);
        w.postMessage(task);
        return r;
      });
      let sum = runNnDescentTask(state, task, 0, threads, scratch);
      for (const r of await Promise.all(theirs)) sum += r;
      if (stepMs && cpu) {
        const used = process.cpuUsage(cpu);
        stepMs[task.kind] = (stepMs[task.kind] ?? 0) + performance.now() - started;
        stepMs[`${task.kind} cpu`] = (stepMs[`${task.kind} cpu`] ?? 0) + (used.user + used.system) / 1000;
      }
      next = steps.next(sum);
    }
  } finally {
    // Waited for, so that no thread still holds the search's memory when it is released below.
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // The candidate heaps, forest and update buffers go before the graph is copied out of the heap's
  // memory, so that the copy does not sit next to them (~0.5 GB at a million points).
  await releaseMemory(dropSearchScratch(state));
  return finishedGraph(state, true);
}

/** The worker's next reply (a number), or its error. */
function reply(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: number) => {
      worker.off('error', onError);
      resolve(m);
    };
    const onError = (e: Error) => {
      worker.off('message', onMessage);
      reject(e);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}
