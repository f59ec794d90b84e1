/**
 * The one matrix type of the public API: `rows * cols` values in row-major order (row i is
 * `data.subarray(i * cols, (i + 1) * cols)`). Feature matrices are float32, as in features.npy.
 */
export interface Matrix<T extends Float32Array | Float64Array = Float32Array> {
  data: T;
  rows: number;
  cols: number;
}

import { UserError } from './errors.js';

/** Throws a UserError unless `m` is a well-formed matrix (whole, non-negative sizes; enough values). */
export function assertMatrix(m: Matrix<Float32Array | Float64Array>, what = 'matrix'): void {
  const { data, rows, cols } = m;
  if (
    !Number.isInteger(rows) ||
    !Number.isInteger(cols) ||
    rows < 0 ||
    cols < 1 ||
    data.length < rows * cols
  ) {
    throw new UserError(
      `${what} must be rows x cols with rows >= 0 and cols >= 1; got rows=${rows}, cols=${cols}, ${data.length} values.`,
    );
  }
}
