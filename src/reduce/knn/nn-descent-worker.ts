/**
 * Worker entry of `nnDescentParallel`: runs its part of every step it is sent on the shared state and
 * posts back the step's count (nn-descent-steps.ts). Posts 0 once started.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  type NnDescentState,
  type NnDescentTask,
  runNnDescentTask,
  StepScratch,
} from './nn-descent-steps.js';

const { state, part, parts } = workerData as { state: NnDescentState; part: number; parts: number };
const scratch = new StepScratch();
parentPort!.on('message', (task: NnDescentTask) => {
  parentPort!.postMessage(runNnDescentTask(state, task, part, parts, scratch));
});
parentPort!.postMessage(0);
