/**
 * Gives back the memory of big typed arrays that just became garbage, before the next stage of a large
 * computation allocates its own. V8 does not collect SharedArrayBuffers or WebAssembly memories under
 * their own pressure: measured in Node 20, 1.6 GB of new SharedArrayBuffers were allocated after 1.2 GB
 * had been dropped, and no collection ran, so at a million points the neighbour search's arrays (~1.5
 * GB) could still be resident while t-SNE's P was built next to them (docs/architecture.md, "A million
 * points"). A few full collections, a few milliseconds apart, measured to return a dropped 1.4 GB
 * within ~0.1-0.2 s on an idle machine.
 *
 * The collection is V8's `gc`, exposed with `--expose-gc` set at run time (node:v8) and taken from a
 * fresh context (node:vm), so the caller's global scope gains nothing. Where that is not possible,
 * the memory is given back whenever V8 next collects, and `releaseMemory` says so (returns false), so
 * that the caller can warn: the peak may then be higher than documented.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

function fullCollection(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as unknown;
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rounds of collection at most; each waits `ROUND_MS` for V8's task that frees the backing stores. */
const MAX_ROUNDS = 10;
const ROUND_MS = 5;

/** Below this many bytes dropped, a release is not worth its ~0.1 s: V8 will collect them in time. */
export const RELEASE_MIN_BYTES = 128 * 1024 * 1024;

/** The warning a caller records when `releaseMemory` could not collect. */
export const RELEASE_UNAVAILABLE_WARNING =
  "Memory of finished stages could not be given back early (V8's garbage collection could not be " +
  'started from here); it is given back whenever V8 next collects, so the peak memory may be higher.';

/**
 * Collects the garbage now and waits until its typed arrays' memory is given back, when the caller
 * has just dropped at least `RELEASE_MIN_BYTES` (`droppedBytes`). The memory is freed by a task V8
 * runs after the collection, later on a busy machine: so it collects again, a few milliseconds apart,
 * until the resident memory has fallen by most of `droppedBytes` or stops falling. Returns false when
 * a collection was due but could not be started (see RELEASE_UNAVAILABLE_WARNING), true otherwise.
 */
export async function releaseMemory(droppedBytes: number): Promise<boolean> {
  if (droppedBytes < RELEASE_MIN_BYTES) return true;
  const gc = fullCollection();
  if (gc === null) return false;
  const start = process.memoryUsage.rss();
  let last = start;
  let idle = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    gc();
    await pause(ROUND_MS);
    const now = process.memoryUsage.rss();
    if (start - now >= 0.9 * droppedBytes) return true;
    idle = now < last - (1 << 20) ? 0 : idle + 1;
    if (idle >= 2) return true;
    last = now;
  }
  return true;
}
