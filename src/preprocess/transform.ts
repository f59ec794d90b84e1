/**
 * torchvision's `Resize(n)` -> `CenterCrop(h, w)` -> `ToTensor()` -> `Normalize(mean, std)` on an 8-bit
 * image, written into a caller-owned NCHW float32 buffer. Rounding and float32 arithmetic follow
 * torchvision 0.14 (transforms/functional.py) so that results agree to float precision.
 */
import { resizeBilinearPil, resizeBilinearPilWindow } from './pil-resize.js';
import { type ResizeWindow, resizeCropNormalizeWasm } from './pil-resize-wasm.js';

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 (L) or 3 (RGB), interleaved. */
  channels: 1 | 3;
}

/** torchvision `_compute_resized_output_size` for an int size: shorter side -> size, longer truncated. */
export function resizedSize(width: number, height: number, size: number): [number, number] {
  if (width <= height) return [size, Math.trunc((size * height) / width)];
  return [Math.trunc((size * width) / height), size];
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision `Resize(size)` with PIL bilinear; unchanged when already the right size. */
export function resizeShorterSide(img: RawImage, size: number): RawImage {
  const [w, h] = resizedSize(img.width, img.height, size);
  if (w === img.width && h === img.height) return img;
  return {
    data: resizeBilinearPil(img.data, img.width, img.height, img.channels, w, h),
    width: w,
    height: h,
    channels: img.channels,
  };
}

/** Top-left offset of torchvision's `center_crop` along one axis (negative = zero padding). */
export function cropOffset(size: number, crop: number): number {
  if (crop > size) return -Math.floor((crop - size) / 2);
  return roundHalfEven((size - crop) / 2);
}

/**
 * Centre-crops to cropW x cropH (zero-padding when the image is smaller, as torchvision does), scales to
 * [0, 1] and normalises, writing channel-major (CHW) float32 values at `out[offset...]`.
 */
export function cropNormalizeInto(
  img: RawImage,
  cropW: number,
  cropH: number,
  mean: readonly number[],
  std: readonly number[],
  out: Float32Array,
  offset: number,
): void {
  const top = cropOffset(img.height, cropH);
  const left = cropOffset(img.width, cropW);
  cropNormalizeAt(img, top, left, cropW, cropH, normalizeTable(mean, std, img.channels), out, offset);
}

/** Which kernels resizeCropNormalizeInto runs: WebAssembly when built ('auto'), or the TypeScript twin. */
export type PreprocessKernels = 'auto' | 'typescript';

/**
 * torchvision's `Resize(size)` then `CenterCrop`, scaled and normalised as cropNormalizeInto, with the
 * same values; only the resized pixels that the crop keeps are computed (resizeBilinearPilWindow). RGB
 * images go through the WebAssembly kernels (pil-resize-wasm.ts, the same bits) unless `kernels` is
 * 'typescript' or the module is not built.
 */
export function resizeCropNormalizeInto(
  img: RawImage,
  size: number,
  cropW: number,
  cropH: number,
  mean: readonly number[],
  std: readonly number[],
  out: Float32Array,
  offset: number,
  kernels: PreprocessKernels = 'auto',
): void {
  const [w, h] = resizedSize(img.width, img.height, size);
  if (w === img.width && h === img.height) {
    cropNormalizeInto(img, cropW, cropH, mean, std, out, offset);
    return;
  }
  const top = cropOffset(h, cropH);
  const left = cropOffset(w, cropW);
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const g: ResizeWindow = {
    outW: w,
    outH: h,
    x0,
    y0,
    winW: Math.min(w, left + cropW) - x0,
    winH: Math.min(h, top + cropH) - y0,
    top: top - y0,
    left: left - x0,
    cropW,
    cropH,
  };
  const table = normalizeTable(mean, std, img.channels);
  if (kernels === 'auto' && img.channels === 3) {
    if (resizeCropNormalizeWasm(img.data, img.width, img.height, g, table, out, offset)) return;
  }
  const data = resizeBilinearPilWindow(
    img.data,
    img.width,
    img.height,
    img.channels,
    w,
    h,
    g.x0,
    g.y0,
    g.winW,
    g.winH,
  );
  const win: RawImage = { data, width: g.winW, height: g.winH, channels: img.channels };
  cropNormalizeAt(win, g.top, g.left, cropW, cropH, table, out, offset);
}

/**
 * ToTensor + Normalize of an 8-bit value depend on the value alone: 256 float32 values per channel
 * (float32 division by 255, then float32 subtract and divide, as torchvision).
 */
export function normalizeTable(
  mean: readonly number[],
  std: readonly number[],
  channels: number,
): Float32Array {
  const table = new Float32Array(256 * channels);
  for (let ch = 0; ch < channels; ch++) {
    const m = Math.fround(mean[ch]);
    const s = Math.fround(std[ch]);
    for (let v = 0; v < 256; v++)
      table[ch * 256 + v] = Math.fround(Math.fround(Math.fround(v / 255) - m) / s);
  }
  return table;
}

/** The cropW x cropH crop whose top-left corner is at (left, top) of img (zeros outside it), through `table` (normalizeTable). */
function cropNormalizeAt(
  img: RawImage,
  top: number,
  left: number,
  cropW: number,
  cropH: number,
  table: Float32Array,
  out: Float32Array,
  offset: number,
): void {
  const c = img.channels;
  const plane = cropW * cropH;
  // Columns of the crop that fall inside the image (the rest is zero padding).
  const x0 = Math.max(0, -left);
  const x1 = Math.min(cropW, img.width - left);
  for (let ch = 0; ch < c; ch++) {
    const t = ch * 256;
    const base = offset + ch * plane;
    out.fill(table[t], base, base + plane);
    for (let y = 0; y < cropH; y++) {
      const sy = y + top;
      if (sy < 0 || sy >= img.height) continue;
      const row = base + y * cropW;
      let p = (sy * img.width + x0 + left) * c + ch;
      for (let x = x0; x < x1; x++) {
        out[row + x] = table[t + img.data[p]];
        p += c;
      }
    }
  }
}
