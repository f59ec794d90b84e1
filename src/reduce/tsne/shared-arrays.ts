/**
 * Typed arrays over SharedArrayBuffer (visible to worker threads without copying) or ordinary
 * memory, chosen by one flag, so the same kernels serve the serial and the parallel engine.
 */
export function float64Array(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

export function int32Array(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}
