/** Writes the classify stage's files: predictions.csv and features.npy, each atomically. */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { encodeNpyFloat32 } from '../io/npy.js';
import type { ClassifyResult } from './classify.js';
import { writePredictionsCsv } from './predictions-table.js';

export const PREDICTIONS_FILE = 'predictions.csv';
export const FEATURES_FILE = 'features.npy';

export async function writeClassifyOutputs(outDir: string, r: ClassifyResult): Promise<string[]> {
  await writeFileAtomic(
    join(outDir, FEATURES_FILE),
    encodeNpyFloat32(r.features, [r.paths.length, r.featureDim]),
  );
  await writePredictionsCsv(join(outDir, PREDICTIONS_FILE), r);
  return [PREDICTIONS_FILE, FEATURES_FILE];
}
