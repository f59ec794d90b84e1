/**
 * A shared WebAssembly memory used as an arena that any thread may reserve from: big arrays live there
 * so that the WebAssembly kernels of every thread (instances importing the memory: asm/attraction.ts,
 * asm/nn-descent.ts) read them in place, while JavaScript sees the same bytes through typed arrays.
 * Nothing is freed: an arena lives as long as its arrays. Header slot 0 holds the end of what is
 * reserved, in 64-byte units, bumped with Atomics, so reservations never overlap.
 */
import { sharedWasmMemory, WASM_MAX_BYTES, WASM_PAGE, type WasmMemory } from './wasm-modules.js';

const ALIGN = 64;
const HEADER = 64;

/** `bytes` rounded up to the arena's alignment (what a reservation of `bytes` takes). */
export function arenaBytes(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * A fresh arena with room for reservations of `bytes` in all (count each with `arenaBytes`), which
 * may grow to `maxBytes`.
 */
export function createWasmArena(bytes: number, maxBytes = WASM_MAX_BYTES): WasmMemory {
  const size = HEADER + bytes;
  const memory = sharedWasmMemory(size, Math.max(size, maxBytes));
  Atomics.store(new Int32Array(memory.buffer, 0, 1), 0, HEADER / ALIGN);
  return memory;
}

/** Reserves `bytes` (64-byte aligned) in the arena, growing it when needed; returns the offset. */
export function reserveInArena(memory: WasmMemory, bytes: number): number {
  const units = Math.ceil(bytes / ALIGN);
  const start = Atomics.add(new Int32Array(memory.buffer, 0, 1), 0, units) * ALIGN;
  const end = start + units * ALIGN;
  if (end > WASM_MAX_BYTES) throw new Error(`a WebAssembly arena of ${end} bytes exceeds 4 GiB`);
  // Two threads may both grow it: the memory only ends up larger (pages not written cost no RAM).
  while (memory.buffer.byteLength < end) memory.grow(Math.ceil((end - memory.buffer.byteLength) / WASM_PAGE));
  return start;
}

/** Typed arrays of `length` elements reserved in the arena (the view made after any growth). */
export function arenaInt32(memory: WasmMemory, length: number): Int32Array {
  const at = reserveInArena(memory, 4 * length);
  return new Int32Array(memory.buffer, at, length);
}

export function arenaFloat32(memory: WasmMemory, length: number): Float32Array {
  const at = reserveInArena(memory, 4 * length);
  return new Float32Array(memory.buffer, at, length);
}

export function arenaFloat64(memory: WasmMemory, length: number): Float64Array {
  const at = reserveInArena(memory, 8 * length);
  return new Float64Array(memory.buffer, at, length);
}

export function arenaUint8(memory: WasmMemory, length: number): Uint8Array {
  const at = reserveInArena(memory, length);
  return new Uint8Array(memory.buffer, at, length);
}
