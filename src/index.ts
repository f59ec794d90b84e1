// Public API: re-exports only.
export { CancelledError, UserError } from './errors.js';
export { writeFileAtomic } from './io/atomic.js';
export { formatCsv, parseCsv, parseCsvRecords } from './io/csv.js';
export { decodeNpyMatrix, encodeNpyFloat32 } from './io/npy.js';
