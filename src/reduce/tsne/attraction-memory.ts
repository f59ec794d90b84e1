/**
 * t-SNE's P where the WebAssembly attraction kernel (asm/attraction.ts) reads it: in a shared
 * WebAssembly memory that the kernel instance of every thread imports, so P is held once, in place,
 * instead of once in JavaScript and again in each thread's WebAssembly memory (about 1 GB each at a
 * million points; docs/architecture.md, "A million points").
 *
 * Layout: a 64-byte header, P's rowPtr, cols and vals, then each kernel's scratch (a copy of the
 * positions and its forces), reserved by the kernel on its own thread. Header slot 0 holds the end of
 * what is reserved, in 64-byte units, bumped with Atomics so that any thread may reserve.
 */
import {
  sharedWasmMemory,
  WASM_MAX_BYTES,
  WASM_PAGE,
  type WasmMemory,
  wasmAvailable,
} from '../wasm-modules.js';
import type { CsrMatrix } from './affinities.js';

const ALIGN = 64;
const HEADER = 64;
/** Largest P (bytes of its three arrays) put in a WebAssembly memory, leaving room for the kernels' scratch. */
export const MAX_WASM_P_BYTES = 3 * 1024 ** 3;

const aligned = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN;

/** Bytes of a CSR matrix's arrays in this layout. */
function csrBytes(rows: number, nnz: number): number {
  return aligned(4 * (rows + 1)) + 2 * aligned(4 * nnz);
}

/**
 * Empty arrays for a CSR matrix of `rows` rows and `nnz` entries in a fresh shared WebAssembly memory
 * (the matrix's `memory`); null when the attraction kernel is not available or P would not fit (the
 * caller then uses ordinary shared arrays, and each kernel copies its rows). `maxBytes`: the most the
 * memory may grow to, for the kernels' scratch.
 */
export function csrInWasmMemory(rows: number, nnz: number, maxBytes = WASM_MAX_BYTES): CsrMatrix | null {
  const bytes = HEADER + csrBytes(rows, nnz);
  if (!wasmAvailable('attraction') || bytes > MAX_WASM_P_BYTES) return null;
  const memory = sharedWasmMemory(bytes, Math.max(bytes, maxBytes));
  let at = HEADER;
  const take = (size: number) => {
    const offset = at;
    at += aligned(size);
    return offset;
  };
  const rowPtr = new Int32Array(memory.buffer, take(4 * (rows + 1)), rows + 1);
  const cols = new Int32Array(memory.buffer, take(4 * nnz), nnz);
  const vals = new Float32Array(memory.buffer, take(4 * nnz), nnz);
  Atomics.store(new Int32Array(memory.buffer, 0, 1), 0, at / ALIGN);
  return { n: rows, rowPtr, cols, vals, memory };
}

/**
 * Rows [first, last) of `p` copied into a WebAssembly memory of their own, with room for the scratch
 * `scratchBytes` (row offsets rebased to the block's first entry; column indices stay global). For P
 * that was not built in one (`csrInWasmMemory`); null when the block does not fit.
 */
export function csrBlockInWasmMemory(
  p: CsrMatrix,
  first: number,
  last: number,
  scratchBytes: number,
): CsrMatrix | null {
  const e0 = p.rowPtr[first];
  const e1 = p.rowPtr[last];
  const rows = last - first;
  const total = HEADER + csrBytes(rows, e1 - e0) + scratchBytes + 2 * ALIGN;
  if (total > WASM_MAX_BYTES) return null;
  const block = csrInWasmMemory(rows, e1 - e0, total);
  if (block === null) return null;
  for (let r = 0; r <= rows; r++) block.rowPtr[r] = p.rowPtr[first + r] - e0;
  block.cols.set(p.cols.subarray(e0, e1));
  block.vals.set(p.vals.subarray(e0, e1));
  return block;
}

/**
 * Reserves `bytes` (64-byte aligned) in `memory`, a memory laid out by `csrInWasmMemory`, growing it
 * when needed; returns the offset. Any thread may call it: reservations never overlap.
 */
export function reserveInWasmMemory(memory: WasmMemory, bytes: number): number {
  const units = Math.ceil(bytes / ALIGN);
  const start = Atomics.add(new Int32Array(memory.buffer, 0, 1), 0, units) * ALIGN;
  const end = start + units * ALIGN;
  if (end > WASM_MAX_BYTES)
    throw new Error(`t-SNE's attraction kernel needs ${end} bytes of WebAssembly memory`);
  // Two threads may both grow it: the memory only ends up larger (pages not written cost no RAM).
  while (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / WASM_PAGE));
  return start;
}
