// Public API: re-exports only.
export { UserError, CancelledError } from './errors.js';
export { encodeNpyFloat32, decodeNpyMatrix } from './io/npy.js';
export { formatCsv, parseCsv, parseCsvRecords } from './io/csv.js';
export { writeFileAtomic } from './io/atomic.js';
