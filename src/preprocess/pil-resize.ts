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
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

interface Coeffs {
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
function coefficients(inSize: number, outSize: number): Coeffs {
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
  const needH = outW !== inW;
  const needV = outH !== inH;
  const cv = coefficients(inH, outH);
  // Rows of the input that the vertical pass reads (Pillow's ybox_first / ybox_last).
  const yFirst = needV ? cv.bounds[0] : 0;
  const yLast = needV ? cv.bounds[(outH - 1) * 2] + cv.bounds[(outH - 1) * 2 + 1] : inH;
  let tmp = src;
  let tmpH = inH;
  let rowOffset = 0;
  if (needH) {
    const ch = coefficients(inW, outW);
    tmpH = yLast - yFirst;
    tmp = new Uint8Array(outW * tmpH * channels);
    for (let y = 0; y < tmpH; y++) {
      const inRow = (y + yFirst) * inW * channels;
      const outRow = y * outW * channels;
      for (let xx = 0; xx < outW; xx++) {
        const xmin = ch.bounds[xx * 2];
        const xmax = ch.bounds[xx * 2 + 1];
        const kOff = xx * ch.ksize;
        for (let c = 0; c < channels; c++) {
          let s = HALF;
          for (let x = 0; x < xmax; x++) s += src[inRow + (x + xmin) * channels + c] * ch.weights[kOff + x];
          tmp[outRow + xx * channels + c] = clip8(s);
        }
      }
    }
    rowOffset = yFirst;
  }
  if (!needV) return tmp;
  const w = needH ? outW : inW;
  const out = new Uint8Array(w * outH * channels);
  for (let yy = 0; yy < outH; yy++) {
    const ymin = cv.bounds[yy * 2] - rowOffset;
    const ymax = cv.bounds[yy * 2 + 1];
    const kOff = yy * cv.ksize;
    for (let xx = 0; xx < w; xx++) {
      for (let c = 0; c < channels; c++) {
        let s = HALF;
        for (let y = 0; y < ymax; y++) s += tmp[((y + ymin) * w + xx) * channels + c] * cv.weights[kOff + y];
        out[(yy * w + xx) * channels + c] = clip8(s);
      }
    }
  }
  return out;
}
