/**
 * t-SNE in one call: `TSNE.prepare` then `run` (tsne-embedding.ts), for callers that want the map and
 * not the steps (docs/architecture.md section 4).
 */
import type { Matrix } from '../../matrix.js';
import { TSNE, type TsnePrepareOptions, type TsneResult } from './tsne-embedding.js';

export type { TsneResult } from './tsne-embedding.js';
export { assertFinite, PARALLEL_MIN_POINTS } from './tsne-embedding.js';

/**
 * Embeds the rows of `x` in 2 or 3 dimensions. `onProgress(fraction, stage)` reports overall progress
 * in [0, 1]; `signal` cancels with a CancelledError; bad input or options throw a UserError.
 */
export async function tsne(x: Matrix, options: TsnePrepareOptions = {}): Promise<TsneResult> {
  const t = await TSNE.prepare(x, options);
  try {
    await t.run({ signal: options.signal, onProgress: options.onProgress });
    return t.result();
  } finally {
    t.dispose();
  }
}
