/**
 * Bilinear resampling that reproduces Pillow's `Image.resize(size, Image.BILINEAR)` bit for bit on 8-bit
 * images, which is what torchvision's `Resize` does on PIL images. Pillow (src/libImaging/Resample.c):
 * separable, horizontal pass first over only the rows the vertical pass needs, 8-bit rounding after each
 * pass; the triangle filter's support is widened by the scale when downscaling (antialiasing); weights
 * are normalised per output pixel and converted to fixed point with 22 fractional bits
 * (PRECISION_BITS = 32 - 8 - 2). sharp's own kernels align pixel centres differently when upscaling
 * (mean difference 0.01-0.02 in [0, 1] units when upscaling, measured against torchvision), so we do the resize ourselves after decoding.
 */

const PRECISION_BITS = 22;
/** 1.0 in Pillow's fixed-point weights. */
export const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

export interface Coeffs {
  /** Taps per output pixel. */
  ksize: number;
  /** For output pixel i: first input index bounds[2i], tap count bounds[2i+1]. */
  bounds: Int32Array;
  /** Fixed-point weights, ksize per output pixel. */
  weights: Int32Array;
}

function triangle(x: number): number {
  const a = x < 0 ? -x : x;
  return a < 1 ? 1 - a : 0;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for the bilinear (triangle, support 1) filter. */
export function coefficients(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 1 * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = triangle((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < ksize; x++) {
      const w = x < xmax && ww !== 0 ? k[x] / ww : 0;
      // C's (int) cast truncates toward zero.
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

function clip8(v: number): number {
  const x = v >> PRECISION_BITS;
  return x < 0 ? 0 : Math.min(x, 255);
}

/**
 * Resizes an interleaved 8-bit image (`channels` per pixel, row-major) from inW x inH to outW x outH.
 * Returns a new Uint8Array of outW * outH * channels.
 */
export function resizeBilinearPil(
  src: Uint8Array,
  inW: number,
  inH: number,
  channels: number,
  outW: number,
  outH: number,
): Uint8Array {
  if (inW === outW && inH === outH) return src.slice();
  return resizeBilinearPilWindow(src, inW, inH, channels, outW, outH, 0, 0, outW, outH);
}

/**
 * The window [x0, x0 + winW) x [y0, y0 + winH) of `resizeBilinearPil(src, ..., outW, outH)`, computed
 * alone: every output pixel of Pillow's resize depends only on its own coefficients, so the window's
 * values are those of the whole resize, bit for bit. A centre crop after the resize (torchvision's
 * Resize + CenterCrop) then skips the pixels it would throw away. Returns winW * winH * channels.
 */
export function resizeBilinearPilWindow(
  src: Uint8Array,
  inW: number,
  inH: number,
  channels: number,
  outW: number,
  outH: number,
  x0: number,
  y0: number,
  winW: number,
  winH: number,
): Uint8Array {
  if (winW <= 0 || winH <= 0) return new Uint8Array(0);
  const needH = outW !== inW;
  const needV = outH !== inH;
  const cv = needV ? coefficients(inH, outH) : null;
  // Input rows the window's vertical taps read (Pillow's ybox_first / ybox_last, for the window).
  const yFirst = cv ? cv.bounds[y0 * 2] : y0;
  const yLast = cv ? cv.bounds[(y0 + winH - 1) * 2] + cv.bounds[(y0 + winH - 1) * 2 + 1] : y0 + winH;
  const rows = yLast - yFirst;
  // tmp: the window's columns of input rows yFirst..yLast-1, resized horizontally (or copied).
  const tmp = new Uint8Array(winW * rows * channels);
  if (needH) {
    const ch = coefficients(inW, outW);
    if (channels === 3) horizontal3(src, inW, yFirst, rows, x0, winW, ch, tmp);
    else horizontalAny(src, inW, channels, yFirst, rows, x0, winW, ch, tmp);
  } else {
    for (let y = 0; y < rows; y++) {
      const from = ((y + yFirst) * inW + x0) * channels;
      tmp.set(src.subarray(from, from + winW * channels), y * winW * channels);
    }
  }
  if (!cv) return tmp;
  const out = new Uint8Array(winW * winH * channels);
  vertical(tmp, winW * channels, yFirst, y0, winH, cv, out);
  return out;
}

/** The horizontal pass for RGB: the three channels of a pixel share one walk over the taps. */
function horizontal3(
  src: Uint8Array,
  inW: number,
  yFirst: number,
  rows: number,
  x0: number,
  winW: number,
  ch: Coeffs,
  tmp: Uint8Array,
): void {
  const { bounds, weights, ksize } = ch;
  for (let y = 0; y < rows; y++) {
    const inRow = (y + yFirst) * inW * 3;
    let o = y * winW * 3;
    for (let xx = x0; xx < x0 + winW; xx++) {
      const xmax = bounds[xx * 2 + 1];
      const kOff = xx * ksize;
      let p = inRow + bounds[xx * 2] * 3;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let x = 0; x < xmax; x++) {
        const wt = weights[kOff + x];
        s0 += src[p] * wt;
        s1 += src[p + 1] * wt;
        s2 += src[p + 2] * wt;
        p += 3;
      }
      tmp[o] = clip8(s0);
      tmp[o + 1] = clip8(s1);
      tmp[o + 2] = clip8(s2);
      o += 3;
    }
  }
}

function horizontalAny(
  src: Uint8Array,
  inW: number,
  channels: number,
  yFirst: number,
  rows: number,
  x0: number,
  winW: number,
  ch: Coeffs,
  tmp: Uint8Array,
): void {
  for (let y = 0; y < rows; y++) {
    const inRow = (y + yFirst) * inW * channels;
    const outRow = y * winW * channels;
    for (let xx = x0; xx < x0 + winW; xx++) {
      const xmin = ch.bounds[xx * 2];
      const xmax = ch.bounds[xx * 2 + 1];
      const kOff = xx * ch.ksize;
      for (let c = 0; c < channels; c++) {
        let s = HALF;
        for (let x = 0; x < xmax; x++) s += src[inRow + (x + xmin) * channels + c] * ch.weights[kOff + x];
        tmp[outRow + (xx - x0) * channels + c] = clip8(s);
      }
    }
  }
}

/**
 * The vertical pass, a whole row at a time: each tap adds one weighted input row to the sums, so
 * every read is sequential. The sums are those of Pillow's per-pixel loop (integers, exact).
 */
function vertical(
  tmp: Uint8Array,
  rowLen: number,
  rowOffset: number,
  y0: number,
  winH: number,
  cv: Coeffs,
  out: Uint8Array,
): void {
  const acc = new Int32Array(rowLen);
  for (let yy = y0; yy < y0 + winH; yy++) {
    const ymin = cv.bounds[yy * 2] - rowOffset;
    const ymax = cv.bounds[yy * 2 + 1];
    const kOff = yy * cv.ksize;
    acc.fill(HALF);
    for (let y = 0; y < ymax; y++) {
      const wt = cv.weights[kOff + y];
      const base = (y + ymin) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] += tmp[base + i] * wt;
    }
    const o = (yy - y0) * rowLen;
    for (let i = 0; i < rowLen; i++) out[o + i] = clip8(acc[i]);
  }
}
