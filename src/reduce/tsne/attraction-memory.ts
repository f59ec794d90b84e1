/**
 * t-SNE's P where the WebAssembly attraction kernel (asm/attraction.ts) reads it: in a shared
 * WebAssembly memory (an arena, wasm-arena.ts) that the kernel instance of every thread imports, so P
 * is held once, in place, instead of once in JavaScript and again in each thread's WebAssembly memory
 * (about 1 GB each at a million points; docs/architecture.md, "A million points"). Each kernel
 * reserves its scratch (a copy of the positions, its forces) in the same arena, on its own thread.
 */
import { arenaBytes, arenaFloat32, arenaInt32, createWasmArena } from '../wasm-arena.js';
import { WASM_MAX_BYTES, wasmAvailable } from '../wasm-modules.js';
import type { CsrMatrix } from './affinities.js';

/** Largest P (bytes of its three arrays) put in a WebAssembly memory, leaving room for the kernels' scratch. */
export const MAX_WASM_P_BYTES = 3 * 1024 ** 3;

/** Bytes of a CSR matrix's arrays in an arena. */
function csrBytes(rows: number, nnz: number): number {
  return arenaBytes(4 * (rows + 1)) + 2 * arenaBytes(4 * nnz);
}

/**
 * Empty arrays for a CSR matrix of `rows` rows and `nnz` entries in a fresh arena (the matrix's
 * `memory`); null when the attraction kernel is not available or P would not fit (the caller then
 * uses ordinary shared arrays, and each kernel copies its rows). `maxBytes`: the most the arena may
 * grow to, for the kernels' scratch.
 */
export function csrInWasmMemory(rows: number, nnz: number, maxBytes = WASM_MAX_BYTES): CsrMatrix | null {
  const bytes = csrBytes(rows, nnz);
  if (!wasmAvailable('attraction') || bytes > MAX_WASM_P_BYTES) return null;
  const memory = createWasmArena(bytes, maxBytes);
  const rowPtr = arenaInt32(memory, rows + 1);
  const cols = arenaInt32(memory, nnz);
  const vals = arenaFloat32(memory, nnz);
  return { n: rows, rowPtr, cols, vals, memory };
}

/**
 * Rows [first, last) of `p` copied into an arena of their own, with room for the scratch
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
  const total = 64 + csrBytes(rows, e1 - e0) + scratchBytes + 128;
  if (total > WASM_MAX_BYTES) return null;
  const block = csrInWasmMemory(rows, e1 - e0, total);
  if (block === null) return null;
  for (let r = 0; r <= rows; r++) block.rowPtr[r] = p.rowPtr[first + r] - e0;
  block.cols.set(p.cols.subarray(e0, e1));
  block.vals.set(p.vals.subarray(e0, e1));
  return block;
}
