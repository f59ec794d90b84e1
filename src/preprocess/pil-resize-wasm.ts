/**
 * The WebAssembly twin (asm/pil-resize.ts, 128-bit SIMD) of resizeBilinearPilWindow + the crop and
 * normalisation of transform.ts, for RGB images: the same fixed-point weights (computed here by
 * pil-resize.ts's `coefficients`), the same integer sums, so the same bits (test/preprocess/
 * pil-resize-wasm.test.ts checks them against the TypeScript on random images of odd sizes). About
 * four times faster than the TypeScript on a 500 x 375 photo (bench/README.md, "Where a JPEG's time
 * goes"). One instance per thread, its memory grown to the largest image seen.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from '../reduce/wasm-modules.js';
import { type Coeffs, coefficients, ONE } from './pil-resize.js';

interface PilResizeExports {
  memory: WasmMemory;
  horizontal3(
    src: number,
    inW: number,
    yFirst: number,
    rows: number,
    x0: number,
    winW: number,
    bounds: number,
    weights: number,
    ksize: number,
    tmp: number,
  ): void;
  vertical(
    tmp: number,
    rowLen: number,
    rowOffset: number,
    y0: number,
    winH: number,
    bounds: number,
    weights: number,
    ksize: number,
    out: number,
  ): void;
  normalize(
    img: number,
    w: number,
    h: number,
    c: number,
    top: number,
    left: number,
    cropW: number,
    cropH: number,
    table: number,
    out: number,
  ): void;
}

let instance: PilResizeExports | null | undefined;

function kernels(): PilResizeExports | null {
  if (instance === undefined) {
    instance = wasmAvailable('pil-resize') ? instantiateWasm<PilResizeExports>('pil-resize') : null;
  }
  return instance;
}

/** True when the WebAssembly resize can run on this thread (wasm/pil-resize.wasm built, not turned off). */
export function pilResizeWasmAvailable(): boolean {
  return kernels() !== null;
}

/** Weights that copy the input (one tap of 1.0): an axis that keeps its size goes through the same kernel. */
function identity(size: number): Coeffs {
  const bounds = new Int32Array(size * 2);
  for (let i = 0; i < size; i++) {
    bounds[i * 2] = i;
    bounds[i * 2 + 1] = 1;
  }
  return { ksize: 1, bounds, weights: new Int32Array(size).fill(ONE) };
}

/** Where one resize lays its buffers out in the module's memory (byte offsets, 16-byte aligned, padded). */
class Layout {
  end = 16;
  take(bytes: number): number {
    const at = this.end;
    this.end = at + Math.ceil((bytes + 16) / 16) * 16;
    return at;
  }
}

/** The resize geometry of resizeCropNormalizeInto: a window of the whole resize, then a crop of it. */
export interface ResizeWindow {
  outW: number;
  outH: number;
  x0: number;
  y0: number;
  winW: number;
  winH: number;
  /** The crop's corner relative to the window (negative: zero padding). */
  top: number;
  left: number;
  cropW: number;
  cropH: number;
}

/**
 * Resizes the RGB image `src` (inW x inH) as resizeBilinearPilWindow(src, ..., outW, outH, x0, y0,
 * winW, winH) does, then crops and normalises as transform.ts's cropNormalizeAt with `table` (256
 * float32 values per channel), writing 3 * cropW * cropH CHW values at out[offset...]. Returns false
 * (and does nothing) when the WebAssembly module is not available.
 */
export function resizeCropNormalizeWasm(
  src: Uint8Array,
  inW: number,
  inH: number,
  g: ResizeWindow,
  table: Float32Array,
  out: Float32Array,
  offset: number,
): boolean {
  const k = kernels();
  if (k === null) return false;
  const ch = g.outW === inW ? identity(inW) : coefficients(inW, g.outW);
  const cv = g.outH === inH ? identity(inH) : coefficients(inH, g.outH);
  const yFirst = cv.bounds[g.y0 * 2];
  const last = (g.y0 + g.winH - 1) * 2;
  const rows = cv.bounds[last] + cv.bounds[last + 1] - yFirst;
  const plane = g.cropW * g.cropH;
  const at = new Layout();
  const srcAt = at.take(src.length);
  const hbAt = at.take(ch.bounds.byteLength);
  const hwAt = at.take(ch.weights.byteLength);
  const vbAt = at.take(cv.bounds.byteLength);
  const vwAt = at.take(cv.weights.byteLength);
  const tmpAt = at.take(g.winW * rows * 3);
  const winAt = at.take(g.winW * g.winH * 3);
  const tableAt = at.take(table.byteLength);
  const outAt = at.take(3 * plane * 4);
  ensureWasmMemory(k.memory, at.end);
  const buf = k.memory.buffer;
  new Uint8Array(buf, srcAt, src.length).set(src);
  new Int32Array(buf, hbAt, ch.bounds.length).set(ch.bounds);
  new Int32Array(buf, hwAt, ch.weights.length).set(ch.weights);
  new Int32Array(buf, vbAt, cv.bounds.length).set(cv.bounds);
  new Int32Array(buf, vwAt, cv.weights.length).set(cv.weights);
  new Float32Array(buf, tableAt, table.length).set(table);
  k.horizontal3(srcAt, inW, yFirst, rows, g.x0, g.winW, hbAt, hwAt, ch.ksize, tmpAt);
  k.vertical(tmpAt, g.winW * 3, yFirst, g.y0, g.winH, vbAt, vwAt, cv.ksize, winAt);
  k.normalize(winAt, g.winW, g.winH, 3, g.top, g.left, g.cropW, g.cropH, tableAt, outAt);
  out.set(new Float32Array(buf, outAt, 3 * plane), offset);
  return true;
}

/**
 * The warning for a run whose RGB images are resized by the TypeScript twin because the WebAssembly
 * module is missing or turned off (the same values, several times slower); null when it runs.
 */
export function pilResizeFallbackWarning(pre: { channels: number; resize: number | null }): string | null {
  if (pre.channels !== 3 || pre.resize === null || pilResizeWasmAvailable()) return null;
  const why = process.env.FEATSCOPE_NO_WASM
    ? 'is turned off (FEATSCOPE_NO_WASM)'
    : 'is missing (run npm run build:wasm)';
  return `The WebAssembly kernel pil-resize ${why}; the resize, crop and normalisation of the images run its slower TypeScript twin, with the same values.`;
}
