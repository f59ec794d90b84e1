/**
 * Our WebAssembly kernels (asm/*.ts, compiled to wasm/*.wasm by `npm run build:wasm`, which `npm ci`
 * runs through `prepare`): each module compiled once per thread. A module that is missing or cannot
 * be compiled is reported as unavailable: its callers run their TypeScript code instead, and
 * `missingWasmModules` lets the t-SNE report that fallback as a warning in run.json.
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
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}

/** The memory object every module exports. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Most bytes a (32-bit) WebAssembly memory may hold: 65536 pages. */
export const WASM_MAX_BYTES = 4 * 1024 ** 3;

/**
 * A shared WebAssembly memory of at least `bytes`, which may grow to `maxBytes`: its `buffer` is a
 * SharedArrayBuffer that worker threads see as it is, and the memory object itself can be posted to
 * them, so every thread's instance of a module that imports it (asm/attraction.ts) reads the same bytes.
 */
export function sharedWasmMemory(bytes: number, maxBytes = WASM_MAX_BYTES): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
  const maximum = Math.max(pages, Math.ceil(maxBytes / WASM_PAGE));
  return new WebAssembly.Memory({ initial: pages, maximum, shared: true });
}

export type WasmModuleName =
  | 'fft-convolution'
  | 'dense'
  | 'attraction'
  | 'fft-points'
  | 'gradient-step'
  | 'barnes-hut'
  | 'nn-descent'
  | 'rp-margins'
  | 'pil-resize';

/** WebAssembly page size in bytes. */
export const WASM_PAGE = 65536;

const compiled = new Map<WasmModuleName, WebAssembly.Module | null>();

function wasmModule(name: WasmModuleName): WebAssembly.Module | null {
  let mod = compiled.get(name);
  if (mod === undefined) {
    try {
      // FEATSCOPE_NO_WASM=1 runs the TypeScript kernels: to compare the two, or to rule one out.
      mod = process.env.FEATSCOPE_NO_WASM
        ? null
        : new WebAssembly.Module(readFileSync(new URL(`../../wasm/${name}.wasm`, import.meta.url)));
    } catch {
      mod = null;
    }
    compiled.set(name, mod);
  }
  return mod;
}

/**
 * Every kernel module of the reductions in wasm/ (built by `npm run build:wasm`). pil-resize, the
 * preprocessing's, is reported by classify itself (src/preprocess/pil-resize-wasm.ts).
 */
export const WASM_MODULES: readonly WasmModuleName[] = Object.freeze([
  'fft-convolution',
  'dense',
  'attraction',
  'fft-points',
  'gradient-step',
  'barnes-hut',
  'nn-descent',
  'rp-margins',
]);

/**
 * The modules that are missing or cannot be compiled here. Their callers run TypeScript code that
 * computes the same numbers more slowly; whoever starts a computation reports this as a warning.
 */
export function missingWasmModules(): WasmModuleName[] {
  return WASM_MODULES.filter((m) => !wasmAvailable(m));
}

/** The warning for a computation that runs TypeScript kernels in place of missing modules; null when none is missing. */
export function wasmFallbackWarning(what: string): string | null {
  const missing = missingWasmModules();
  if (missing.length === 0) return null;
  const why = process.env.FEATSCOPE_NO_WASM
    ? 'are turned off (FEATSCOPE_NO_WASM)'
    : 'are missing (run npm run build:wasm)';
  return `The WebAssembly kernels ${missing.join(', ')} ${why}; ${what} runs their slower TypeScript twins, with the same results.`;
}

/** True when the module can run on this thread. */
export function wasmAvailable(name: WasmModuleName): boolean {
  return wasmModule(name) !== null;
}

/**
 * A fresh instance of the module's exports, with its own memory, or with `memory` for a module that
 * imports its memory (asm/attraction.ts: a shared one, `sharedWasmMemory`); throws when unavailable.
 */
export function instantiateWasm<T>(name: WasmModuleName, memory?: WasmMemory): T {
  const mod = wasmModule(name);
  if (mod === null) throw new Error(`wasm/${name}.wasm is not available (npm run build:wasm)`);
  return new WebAssembly.Instance(mod, memory ? { env: { memory } } : {}).exports as T;
}

/** Grows `memory` to at least `bytes`. */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (have < bytes) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}
