// AssemblyScript source of wasm/fft-convolution.wasm (built by `npm run build:wasm`).
//
// The grid convolution of FFT-interpolated t-SNE (src/reduce/tsne/fft-convolution.ts) with 128-bit
// SIMD: the same Stockham mixed-radix FFT as src/reduce/tsne/fft.ts, with its innermost loop (over the
// `batch` interleaved sequences) taking two sequences per f64x2 operation. Every number is computed by
// the same operations in the same order as the TypeScript code, so the results agree bit for bit
// except where the compiler is free to differ (it is not: WebAssembly float arithmetic is IEEE 754
// without fused multiply-add).
//
// Memory is laid out by the caller (src/reduce/tsne/wasm-convolution.ts): all arguments are byte
// offsets into this module's memory. A stage table holds, per FFT stage, 4 i32s: radix, length n,
// and the byte offsets of the twiddle arrays (re, im), as FftPlan builds them.
// When an odd number of sequences is interleaved, the last pair overlaps the one before; inputs and
// outputs are distinct buffers, so the overlap recomputes the same values.

const SIN_60: f64 = 0.8660254037844386;
const C1: f64 = 0.30901699437494745;
const C2: f64 = -0.8090169943749473;
const S1: f64 = 0.9510565162951535;
const S2: f64 = 0.5877852522924732;

@inline function mulRe(ar: v128, ai: v128, wr: v128, wi: v128): v128 {
  return f64x2.sub(f64x2.mul(ar, wr), f64x2.mul(ai, wi));
}

@inline function mulIm(ar: v128, ai: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(ar, wi), f64x2.mul(ai, wr));
}

@inline function tw(base: usize, k: i32): v128 {
  return f64x2.splat(load<f64>(base + ((<usize>k) << 3)));
}

@inline function pairAt(q: i32, s: i32): usize {
  return (<usize>(q + 2 > s ? s - 2 : q)) << 3;
}

function radix2(xr: usize, xi: usize, yr: usize, yi: usize, s: i32, m: i32, twr: usize, twi: usize): void {
  const sm = (<usize>(s * m)) << 3;
  const so = (<usize>s) << 3;
  for (let p = 0; p < m; p++) {
    const wr = tw(twr, p);
    const wi = tw(twi, p);
    const in0 = (<usize>(s * p)) << 3;
    const out0 = (<usize>(s * 2 * p)) << 3;
    for (let q = 0; q < s; q += 2) {
      const qq = pairAt(q, s);
      const a = in0 + qq;
      const ar = v128.load(xr + a);
      const ai = v128.load(xi + a);
      const br = v128.load(xr + a + sm);
      const bi = v128.load(xi + a + sm);
      const o = out0 + qq;
      v128.store(yr + o, f64x2.add(ar, br));
      v128.store(yi + o, f64x2.add(ai, bi));
      const dr = f64x2.sub(ar, br);
      const di = f64x2.sub(ai, bi);
      v128.store(yr + o + so, mulRe(dr, di, wr, wi));
      v128.store(yi + o + so, mulIm(dr, di, wr, wi));
    }
  }
}

function radix4(xr: usize, xi: usize, yr: usize, yi: usize, s: i32, m: i32, twr: usize, twi: usize): void {
  const sm = (<usize>(s * m)) << 3;
  const so = (<usize>s) << 3;
  for (let p = 0; p < m; p++) {
    const w1r = tw(twr, 3 * p);
    const w1i = tw(twi, 3 * p);
    const w2r = tw(twr, 3 * p + 1);
    const w2i = tw(twi, 3 * p + 1);
    const w3r = tw(twr, 3 * p + 2);
    const w3i = tw(twi, 3 * p + 2);
    const in0 = (<usize>(s * p)) << 3;
    const out0 = (<usize>(s * 4 * p)) << 3;
    for (let q = 0; q < s; q += 2) {
      const qq = pairAt(q, s);
      const i0 = in0 + qq;
      const a0r = v128.load(xr + i0);
      const a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm);
      const a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm);
      const a2i = v128.load(xi + i0 + 2 * sm);
      const a3r = v128.load(xr + i0 + 3 * sm);
      const a3i = v128.load(xi + i0 + 3 * sm);
      const t0r = f64x2.add(a0r, a2r);
      const t0i = f64x2.add(a0i, a2i);
      const t1r = f64x2.sub(a0r, a2r);
      const t1i = f64x2.sub(a0i, a2i);
      const t2r = f64x2.add(a1r, a3r);
      const t2i = f64x2.add(a1i, a3i);
      const t3r = f64x2.sub(a1r, a3r);
      const t3i = f64x2.sub(a1i, a3i);
      const o = out0 + qq;
      v128.store(yr + o, f64x2.add(t0r, t2r));
      v128.store(yi + o, f64x2.add(t0i, t2i));
      const b1r = f64x2.add(t1r, t3i);
      const b1i = f64x2.sub(t1i, t3r);
      const b2r = f64x2.sub(t0r, t2r);
      const b2i = f64x2.sub(t0i, t2i);
      const b3r = f64x2.sub(t1r, t3i);
      const b3i = f64x2.add(t1i, t3r);
      v128.store(yr + o + so, mulRe(b1r, b1i, w1r, w1i));
      v128.store(yi + o + so, mulIm(b1r, b1i, w1r, w1i));
      v128.store(yr + o + 2 * so, mulRe(b2r, b2i, w2r, w2i));
      v128.store(yi + o + 2 * so, mulIm(b2r, b2i, w2r, w2i));
      v128.store(yr + o + 3 * so, mulRe(b3r, b3i, w3r, w3i));
      v128.store(yi + o + 3 * so, mulIm(b3r, b3i, w3r, w3i));
    }
  }
}

function radix3(xr: usize, xi: usize, yr: usize, yi: usize, s: i32, m: i32, twr: usize, twi: usize): void {
  const sm = (<usize>(s * m)) << 3;
  const so = (<usize>s) << 3;
  const half = f64x2.splat(0.5);
  const sin60 = f64x2.splat(SIN_60);
  for (let p = 0; p < m; p++) {
    const w1r = tw(twr, 2 * p);
    const w1i = tw(twi, 2 * p);
    const w2r = tw(twr, 2 * p + 1);
    const w2i = tw(twi, 2 * p + 1);
    const in0 = (<usize>(s * p)) << 3;
    const out0 = (<usize>(s * 3 * p)) << 3;
    for (let q = 0; q < s; q += 2) {
      const qq = pairAt(q, s);
      const i0 = in0 + qq;
      const a0r = v128.load(xr + i0);
      const a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm);
      const a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm);
      const a2i = v128.load(xi + i0 + 2 * sm);
      const t1r = f64x2.add(a1r, a2r);
      const t1i = f64x2.add(a1i, a2i);
      const t2r = f64x2.sub(a1r, a2r);
      const t2i = f64x2.sub(a1i, a2i);
      const cr = f64x2.sub(a0r, f64x2.mul(half, t1r));
      const ci = f64x2.sub(a0i, f64x2.mul(half, t1i));
      const b1r = f64x2.add(cr, f64x2.mul(sin60, t2i));
      const b1i = f64x2.sub(ci, f64x2.mul(sin60, t2r));
      const b2r = f64x2.sub(cr, f64x2.mul(sin60, t2i));
      const b2i = f64x2.add(ci, f64x2.mul(sin60, t2r));
      const o = out0 + qq;
      v128.store(yr + o, f64x2.add(a0r, t1r));
      v128.store(yi + o, f64x2.add(a0i, t1i));
      v128.store(yr + o + so, mulRe(b1r, b1i, w1r, w1i));
      v128.store(yi + o + so, mulIm(b1r, b1i, w1r, w1i));
      v128.store(yr + o + 2 * so, mulRe(b2r, b2i, w2r, w2i));
      v128.store(yi + o + 2 * so, mulIm(b2r, b2i, w2r, w2i));
    }
  }
}

function radix5(xr: usize, xi: usize, yr: usize, yi: usize, s: i32, m: i32, twr: usize, twi: usize): void {
  const sm = (<usize>(s * m)) << 3;
  const so = (<usize>s) << 3;
  const c1 = f64x2.splat(C1);
  const c2 = f64x2.splat(C2);
  const s1 = f64x2.splat(S1);
  const s2 = f64x2.splat(S2);
  for (let p = 0; p < m; p++) {
    const w1r = tw(twr, 4 * p);
    const w1i = tw(twi, 4 * p);
    const w2r = tw(twr, 4 * p + 1);
    const w2i = tw(twi, 4 * p + 1);
    const w3r = tw(twr, 4 * p + 2);
    const w3i = tw(twi, 4 * p + 2);
    const w4r = tw(twr, 4 * p + 3);
    const w4i = tw(twi, 4 * p + 3);
    const in0 = (<usize>(s * p)) << 3;
    const out0 = (<usize>(s * 5 * p)) << 3;
    for (let q = 0; q < s; q += 2) {
      const qq = pairAt(q, s);
      const i0 = in0 + qq;
      const a0r = v128.load(xr + i0);
      const a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm);
      const a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm);
      const a2i = v128.load(xi + i0 + 2 * sm);
      const a3r = v128.load(xr + i0 + 3 * sm);
      const a3i = v128.load(xi + i0 + 3 * sm);
      const a4r = v128.load(xr + i0 + 4 * sm);
      const a4i = v128.load(xi + i0 + 4 * sm);
      const t1r = f64x2.add(a1r, a4r);
      const t1i = f64x2.add(a1i, a4i);
      const t2r = f64x2.add(a2r, a3r);
      const t2i = f64x2.add(a2i, a3i);
      const t3r = f64x2.sub(a1r, a4r);
      const t3i = f64x2.sub(a1i, a4i);
      const t4r = f64x2.sub(a2r, a3r);
      const t4i = f64x2.sub(a2i, a3i);
      // Same association as the TypeScript: (a0 + C1 t1) + C2 t2.
      const ar = f64x2.add(f64x2.add(a0r, f64x2.mul(c1, t1r)), f64x2.mul(c2, t2r));
      const ai = f64x2.add(f64x2.add(a0i, f64x2.mul(c1, t1i)), f64x2.mul(c2, t2i));
      const br = f64x2.add(f64x2.add(a0r, f64x2.mul(c2, t1r)), f64x2.mul(c1, t2r));
      const bi = f64x2.add(f64x2.add(a0i, f64x2.mul(c2, t1i)), f64x2.mul(c1, t2i));
      const vr = f64x2.add(f64x2.mul(s1, t3r), f64x2.mul(s2, t4r));
      const vi = f64x2.add(f64x2.mul(s1, t3i), f64x2.mul(s2, t4i));
      const ur = f64x2.sub(f64x2.mul(s2, t3r), f64x2.mul(s1, t4r));
      const ui = f64x2.sub(f64x2.mul(s2, t3i), f64x2.mul(s1, t4i));
      const b1r = f64x2.add(ar, vi);
      const b1i = f64x2.sub(ai, vr);
      const b4r = f64x2.sub(ar, vi);
      const b4i = f64x2.add(ai, vr);
      const b2r = f64x2.add(br, ui);
      const b2i = f64x2.sub(bi, ur);
      const b3r = f64x2.sub(br, ui);
      const b3i = f64x2.add(bi, ur);
      const o = out0 + qq;
      v128.store(yr + o, f64x2.add(f64x2.add(a0r, t1r), t2r));
      v128.store(yi + o, f64x2.add(f64x2.add(a0i, t1i), t2i));
      v128.store(yr + o + so, mulRe(b1r, b1i, w1r, w1i));
      v128.store(yi + o + so, mulIm(b1r, b1i, w1r, w1i));
      v128.store(yr + o + 2 * so, mulRe(b2r, b2i, w2r, w2i));
      v128.store(yi + o + 2 * so, mulIm(b2r, b2i, w2r, w2i));
      v128.store(yr + o + 3 * so, mulRe(b3r, b3i, w3r, w3i));
      v128.store(yi + o + 3 * so, mulIm(b3r, b3i, w3r, w3i));
      v128.store(yr + o + 4 * so, mulRe(b4r, b4i, w4r, w4i));
      v128.store(yi + o + 4 * so, mulIm(b4r, b4i, w4r, w4i));
    }
  }
}

/**
 * Forward DFT of `batch` (>= 2) interleaved sequences (FftPlan.transform): returns 1 when the result
 * is in (re, im), 0 when it is in (tmpRe, tmpIm).
 */
export function transform(re: usize, im: usize, batch: i32, tmpRe: usize, tmpIm: usize, table: usize): i32 {
  const stages = load<i32>(table);
  let xr = re;
  let xi = im;
  let yr = tmpRe;
  let yi = tmpIm;
  let s = batch;
  for (let k = 0; k < stages; k++) {
    const entry = table + 4 + ((<usize>k) << 4);
    const radix = load<i32>(entry);
    const n = load<i32>(entry + 4);
    const twr = <usize>load<i32>(entry + 8);
    const twi = <usize>load<i32>(entry + 12);
    const m = n / radix;
    if (radix == 4) radix4(xr, xi, yr, yi, s, m, twr, twi);
    else if (radix == 2) radix2(xr, xi, yr, yi, s, m, twr, twi);
    else if (radix == 3) radix3(xr, xi, yr, yi, s, m, twr, twi);
    else radix5(xr, xi, yr, yi, s, m, twr, twi);
    s *= radix;
    const tr = xr;
    xr = yr;
    yr = tr;
    const ti = xi;
    xi = yi;
    yi = ti;
  }
  return xr == re ? 1 : 0;
}

/** dst (cols x rows) = transpose of src (rows x cols), both row-major f64, in 32 x 32 tiles. */
function transposeInto(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r0 = 0; r0 < rows; r0 += 32) {
    const r1 = min(rows, r0 + 32);
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const c1 = min(cols, c0 + 32);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          store<f64>(dst + ((<usize>(c * rows + r)) << 3), load<f64>(src + ((<usize>(r * cols + c)) << 3)));
        }
      }
    }
  }
}

/**
 * KernelConvolution2d.convolve on an m x m grid (circulant side L = 2m) held in the first m * m
 * values of (cRe, cIm); on return the result is there too. `kHat` is the kernel spectrum already
 * scaled by 1 / L^2; c*, d*, t* and kHat are L * L values each.
 */
export function convolve(
  m: i32,
  cRe: usize,
  cIm: usize,
  dRe: usize,
  dIm: usize,
  tRe: usize,
  tIm: usize,
  kHat: usize,
  table: usize,
): void {
  const L = 2 * m;
  const mm = m * m;
  memory.fill(cRe + ((<usize>mm) << 3), 0, (<usize>(L * m - mm)) << 3);
  memory.fill(cIm + ((<usize>mm) << 3), 0, (<usize>(L * m - mm)) << 3);
  let inPlace = transform(cRe, cIm, m, tRe, tIm, table);
  transposeInto(inPlace ? cRe : tRe, dRe, L, m);
  transposeInto(inPlace ? cIm : tIm, dIm, L, m);
  memory.fill(dRe + ((<usize>(2 * mm)) << 3), 0, (<usize>(L * L - 2 * mm)) << 3);
  memory.fill(dIm + ((<usize>(2 * mm)) << 3), 0, (<usize>(L * L - 2 * mm)) << 3);
  inPlace = transform(dRe, dIm, L, tRe, tIm, table);
  const sRe = inPlace ? dRe : tRe;
  const sIm = inPlace ? dIm : tIm;
  const oRe = inPlace ? tRe : dRe;
  const oIm = inPlace ? tIm : dIm;
  const cells = <usize>(L * L) << 3;
  for (let g: usize = 0; g < cells; g += 16) {
    const k = v128.load(kHat + g);
    v128.store(sRe + g, f64x2.mul(v128.load(sRe + g), k));
    v128.store(sIm + g, f64x2.mul(v128.load(sIm + g), k));
  }
  inPlace = transform(sIm, sRe, L, oIm, oRe, table);
  transposeInto(inPlace ? sRe : oRe, cRe, m, L);
  transposeInto(inPlace ? sIm : oIm, cIm, m, L);
  inPlace = transform(cIm, cRe, m, tIm, tRe, table);
  if (!inPlace) {
    memory.copy(cRe, tRe, (<usize>mm) << 3);
    memory.copy(cIm, tIm, (<usize>mm) << 3);
  }
}
