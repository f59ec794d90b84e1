// featscope/io: the file formats featscope reads and writes. Re-exports only.

export { type Predictions, readPredictionsCsv, writePredictionsCsv } from '../pipeline/predictions-table.js';
export { writeFileAtomic, writeFileAtomicFrom, writeFolderAtomic } from './atomic.js';
export { CsvTokenizer, type CsvValue, formatCsv, parseCsv, parseCsvRecords } from './csv.js';
export { readCsvFile } from './csv-file.js';
export {
  decodeNpy,
  decodeNpyLabels,
  decodeNpyMatrix,
  encodeNpyFloat32,
  type NpyArray,
  type NpyMatrix,
} from './npy.js';
