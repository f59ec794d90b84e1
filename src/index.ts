// Public API: re-exports only.
export { CancelledError, UserError } from './errors.js';
export { writeFileAtomic, writeFileAtomicFrom } from './io/atomic.js';
export { CsvTokenizer, formatCsv, parseCsv, parseCsvRecords } from './io/csv.js';
export { readCsvFile } from './io/csv-file.js';
export { decodeNpyLabels, decodeNpyMatrix, encodeNpyFloat32 } from './io/npy.js';
export {
  type Predictions,
  readPredictionsCsv,
  writePredictionsCsv,
} from './pipeline/predictions-table.js';
