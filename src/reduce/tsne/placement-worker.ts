/**
 * Worker entry of `placeNewPointsParallel`: places one share of the new points (`placeNewPoints`)
 * against the shared reference and posts the positions back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { placeNewPoints } from './placement.js';

const { refFeatures, refMap, newFeatures, nRef, d, dims, n, options } = workerData;
const r = placeNewPoints(
  { data: refFeatures, rows: nRef, cols: d },
  { data: refMap, rows: nRef, cols: dims },
  { data: newFeatures, rows: n, cols: d },
  options,
);
parentPort!.postMessage({ embedding: r.embedding, indices: r.neighbors.indices }, [
  r.embedding.buffer as ArrayBuffer,
  r.neighbors.indices.buffer as ArrayBuffer,
]);
