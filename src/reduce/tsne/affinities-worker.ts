/**
 * Worker entry of `conditionalInPlaceParallel` (affinities-ordered.ts): the conditional probabilities
 * of one contiguous range of rows, written over the shared kNN distances; posts 0 when done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { conditionalRowsInPlace } from './affinities-ordered.js';

const { distances, k, perplexity, from, to } = workerData as {
  distances: Float32Array;
  k: number;
  perplexity: number;
  from: number;
  to: number;
};
conditionalRowsInPlace(distances, k, perplexity, from, to);
parentPort!.postMessage(0);
