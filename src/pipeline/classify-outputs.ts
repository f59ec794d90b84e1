/** Writes the classify stage's files: predictions.csv and features.npy, each atomically. */
import { join } from 'node:path';
import { writeFileAtomicFrom } from '../io/atomic.js';
import { npyFloat32Pieces } from '../io/npy.js';
import type { ClassifyResult } from './classify.js';
import { writePredictionsCsv } from './predictions-table.js';

export const PREDICTIONS_FILE = 'predictions.csv';
export const FEATURES_FILE = 'features.npy';

export async function writeClassifyOutputs(outDir: string, r: ClassifyResult): Promise<string[]> {
  await writeFileAtomicFrom(
    join(outDir, FEATURES_FILE),
    npyFloat32Pieces(r.features, [r.paths.length, r.featureDim]),
  );
  await writePredictionsCsv(join(outDir, PREDICTIONS_FILE), r);
  return [PREDICTIONS_FILE, FEATURES_FILE];
}
