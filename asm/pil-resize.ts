// AssemblyScript source of wasm/pil-resize.wasm (built by `npm run build:wasm`).
//
// Pillow's 8-bit bilinear resize (src/preprocess/pil-resize.ts is the TypeScript twin and the
// reference: same fixed-point weights with 22 fractional bits, same integer sums, same rounding and
// clipping, so the same bits) and torchvision's crop + ToTensor + Normalize, with 128-bit SIMD:
// - horizontal3: one RGB pixel per i32x4 (R, G, B and a spare lane), one multiply-add per tap;
// - vertical: 16 bytes of a row at a time, four i32x4 sums, one multiply-add each per tap;
// - normalize: the 8-bit value -> float32 table per channel, written channel-major (CHW).
// Integer sums are exact (at most 255 * 2^22 plus rounding, below 2^31), so the order of the adds does
// not matter; shifting by 22 and saturating to 0..255 is Pillow's clip8. All arguments are byte
// offsets into this module's memory, laid out by src/preprocess/pil-resize-wasm.ts, which pads every
// buffer by 16 bytes: loads and stores may run up to 15 bytes past a row.

const PRECISION_BITS: i32 = 22;
const HALF: i32 = 1 << (PRECISION_BITS - 1);

@inline
function clip8x4(s: v128): v128 {
  const r = i32x4.shr_s(s, PRECISION_BITS);
  const h = i16x8.narrow_i32x4_s(r, r);
  return i8x16.narrow_i16x8_u(h, h);
}

// Resizes columns [x0, x0 + winW) of the rows yFirst .. yFirst + rows - 1 of an RGB image inW wide
// into tmp (winW * 3 bytes a row). bounds: (first input column, tap count) per output column;
// weights: ksize per output column.
export function horizontal3(
  src: usize,
  inW: i32,
  yFirst: i32,
  rows: i32,
  x0: i32,
  winW: i32,
  bounds: usize,
  weights: usize,
  ksize: i32,
  tmp: usize,
): void {
  const half = i32x4.splat(HALF);
  const inStride = <usize>inW * 3;
  let o = tmp;
  for (let y = 0; y < rows; y++) {
    const inRow = src + <usize>(y + yFirst) * inStride;
    for (let xx = x0; xx < x0 + winW; xx++) {
      const b = bounds + (<usize>xx << 3);
      const xmax = load<i32>(b, 4);
      let p = inRow + <usize>load<i32>(b) * 3;
      let k = weights + ((<usize>xx * <usize>ksize) << 2);
      let s = half;
      for (let x = 0; x < xmax; x++) {
        const px = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
        s = i32x4.add(s, i32x4.mul(px, i32x4.splat(load<i32>(k))));
        p += 3;
        k += 4;
      }
      // Four bytes out: the fourth is overwritten by the next pixel (or lands in the padding).
      v128.store32_lane(o, clip8x4(s), 0);
      o += 3;
    }
  }
}

// Output rows y0 .. y0 + winH - 1 of the vertical pass over tmp (rows of rowLen bytes, the first of
// them input row rowOffset) into out (rowLen bytes a row).
export function vertical(
  tmp: usize,
  rowLen: i32,
  rowOffset: i32,
  y0: i32,
  winH: i32,
  bounds: usize,
  weights: usize,
  ksize: i32,
  out: usize,
): void {
  const half = i32x4.splat(HALF);
  const stride = <usize>rowLen;
  let o = out;
  for (let yy = y0; yy < y0 + winH; yy++) {
    const b = bounds + (<usize>yy << 3);
    const first = tmp + <usize>(load<i32>(b) - rowOffset) * stride;
    const ymax = load<i32>(b, 4);
    const k = weights + ((<usize>yy * <usize>ksize) << 2);
    for (let i = 0; i < rowLen; i += 16) {
      let a0 = half;
      let a1 = half;
      let a2 = half;
      let a3 = half;
      let p = first + <usize>i;
      for (let y = 0; y < ymax; y++) {
        const w = i32x4.splat(load<i32>(k + (<usize>y << 2)));
        const v = v128.load(p);
        const lo = i16x8.extend_low_i8x16_u(v);
        const hi = i16x8.extend_high_i8x16_u(v);
        a0 = i32x4.add(a0, i32x4.mul(i32x4.extend_low_i16x8_u(lo), w));
        a1 = i32x4.add(a1, i32x4.mul(i32x4.extend_high_i16x8_u(lo), w));
        a2 = i32x4.add(a2, i32x4.mul(i32x4.extend_low_i16x8_u(hi), w));
        a3 = i32x4.add(a3, i32x4.mul(i32x4.extend_high_i16x8_u(hi), w));
        p += stride;
      }
      const l = i16x8.narrow_i32x4_s(i32x4.shr_s(a0, PRECISION_BITS), i32x4.shr_s(a1, PRECISION_BITS));
      const h = i16x8.narrow_i32x4_s(i32x4.shr_s(a2, PRECISION_BITS), i32x4.shr_s(a3, PRECISION_BITS));
      v128.store(o + <usize>i, i8x16.narrow_i16x8_u(l, h));
    }
    o += stride;
  }
}

// The cropW x cropH crop whose top-left corner is at (left, top) of an interleaved image (c channels,
// w x h; zeros outside it), each value through table[ch * 256 + value] (float32), written CHW to out.
export function normalize(
  img: usize,
  w: i32,
  h: i32,
  c: i32,
  top: i32,
  left: i32,
  cropW: i32,
  cropH: i32,
  table: usize,
  out: usize,
): void {
  const plane = <usize>cropW * <usize>cropH;
  const x0 = max(0, -left);
  const x1 = min(cropW, w - left);
  for (let ch = 0; ch < c; ch++) {
    const t = table + ((<usize>ch << 8) << 2);
    const base = out + ((<usize>ch * plane) << 2);
    const zero = load<f32>(t);
    for (let i: usize = 0; i < plane; i++) store<f32>(base + (i << 2), zero);
    for (let y = 0; y < cropH; y++) {
      const sy = y + top;
      if (sy < 0 || sy >= h) continue;
      let q = base + ((<usize>y * <usize>cropW + <usize>x0) << 2);
      let p = img + (<usize>sy * <usize>w + <usize>(x0 + left)) * <usize>c + <usize>ch;
      for (let x = x0; x < x1; x++) {
        store<f32>(q, load<f32>(t + (<usize>load<u8>(p) << 2)));
        p += <usize>c;
        q += 4;
      }
    }
  }
}
