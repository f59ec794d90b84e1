/**
 * Our WebAssembly kernels (asm/*.ts, compiled to wasm/*.wasm by `npm run build:wasm`, which `npm ci`
 * runs through `prepare`): each module compiled once per thread. A module that is missing or cannot
 * be compiled is reported as unavailable, and its callers run their TypeScript code instead.
 */
import { readFileSync } from 'node:fs';

// The part of the WebAssembly JS API used here (TypeScript's ES2022 lib does not declare it).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: unknown;
  }
}

/** The memory object every module exports. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export type WasmModuleName = 'fft-convolution' | 'dense' | 'attraction' | 'barnes-hut';

/** WebAssembly page size in bytes. */
export const WASM_PAGE = 65536;

const compiled = new Map<WasmModuleName, WebAssembly.Module | null>();

function wasmModule(name: WasmModuleName): WebAssembly.Module | null {
  let mod = compiled.get(name);
  if (mod === undefined) {
    try {
      mod = new WebAssembly.Module(readFileSync(new URL(`../../wasm/${name}.wasm`, import.meta.url)));
    } catch {
      mod = null;
    }
    compiled.set(name, mod);
  }
  return mod;
}

/** True when the module can run on this thread. */
export function wasmAvailable(name: WasmModuleName): boolean {
  return wasmModule(name) !== null;
}

/** A fresh instance (with its own memory) of the module's exports; throws when unavailable. */
export function instantiateWasm<T>(name: WasmModuleName): T {
  const mod = wasmModule(name);
  if (mod === null) throw new Error(`wasm/${name}.wasm is not available (npm run build:wasm)`);
  return new WebAssembly.Instance(mod, {}).exports as T;
}

/** Grows `memory` to at least `bytes`. */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (have < bytes) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}
