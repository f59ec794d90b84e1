/**
 * Worker entry of `exactKnnParallel`: computes one part of the exact neighbour heaps
 * (`exactKnnHeapPart`) over the shared data and posts the heap back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { exactKnnHeapPart } from './exact-knn.js';

const { data, n, d, k, part, parts } = workerData as {
  data: Float32Array;
  n: number;
  d: number;
  k: number;
  part: number;
  parts: number;
};
const heap = exactKnnHeapPart(data, n, d, k, part, parts);
parentPort!.postMessage({ indices: heap.indices, distances: heap.distances }, [
  heap.indices.buffer as ArrayBuffer,
  heap.distances.buffer as ArrayBuffer,
]);
