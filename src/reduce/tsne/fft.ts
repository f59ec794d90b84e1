/**
 * Our own complex FFT over split real/imaginary Float64Arrays, for lengths 2^a 3^b 5^c (mixed radix
 * 4, 2, 3, 5). It is the convolution engine of the FFT-accelerated t-SNE repulsion (gradient-fft.ts).
 *
 * Algorithm: Stockham autosort, decimation in frequency. A stage of radix r on sequences of current
 * length n (stride s, m = n / r) maps
 *   y[q + s (r p + u)] = w_n^{p u} * sum_t x[q + s (p + t m)] w_r^{t u},   w_n = exp(-2 pi i / n),
 * then continues on length m with stride s r, ping-ponging between two buffers; the output comes out
 * in natural order with no bit reversal. The innermost loop runs over q, i.e. over `batch`
 * interleaved sequences, so transforming all columns of a row-major matrix at once (batch = row
 * length) streams through memory contiguously.
 */

export interface FftStage {
  radix: number;
  /** Current sequence length n (before this stage). */
  n: number;
  /** Twiddles w_n^{p u} for p < n / radix, u = 1 .. radix - 1, at [p * (radix - 1) + u - 1]. */
  twRe: Float64Array;
  twIm: Float64Array;
}

/** Smallest integer >= n whose only prime factors are 2, 3 and 5. */
export function nextSmooth(n: number): number {
  let m = Math.max(1, Math.ceil(n));
  for (;;) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
    m++;
  }
}

export class FftPlan {
  readonly n: number;
  /** Stages in order (read by the WebAssembly convolution, wasm-convolution.ts). */
  readonly stages: FftStage[] = [];

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1 || nextSmooth(n) !== n) {
      throw new Error(`FFT length must be a positive 2^a 3^b 5^c integer, got ${n}`);
    }
    this.n = n;
    let rest = n;
    let len = n;
    while (rest > 1) {
      const radix = rest % 4 === 0 ? 4 : rest % 2 === 0 ? 2 : rest % 3 === 0 ? 3 : 5;
      const m = len / radix;
      const twRe = new Float64Array(m * (radix - 1));
      const twIm = new Float64Array(m * (radix - 1));
      for (let p = 0; p < m; p++) {
        for (let u = 1; u < radix; u++) {
          const a = (-2 * Math.PI * p * u) / len;
          twRe[p * (radix - 1) + u - 1] = Math.cos(a);
          twIm[p * (radix - 1) + u - 1] = Math.sin(a);
        }
      }
      this.stages.push({ radix, n: len, twRe, twIm });
      rest /= radix;
      len = m;
    }
  }

  /**
   * Forward DFT (X_k = sum_j x_j exp(-2 pi i jk / n)) of `batch` interleaved sequences, in place:
   * element j of sequence q is at `q + batch * j`. `tmpRe`/`tmpIm` are scratch of the same length.
   * The inverse transform is obtained by swapping the real and imaginary arrays (and dividing by n).
   */
  forward(re: Float64Array, im: Float64Array, batch: number, tmpRe: Float64Array, tmpIm: Float64Array): void {
    if (!this.transform(re, im, batch, tmpRe, tmpIm)) {
      const total = this.n * batch;
      re.set(tmpRe.subarray(0, total));
      im.set(tmpIm.subarray(0, total));
    }
  }

  /**
   * `forward` without the final copy: returns true when the result is in `re`/`im`, false when it
   * is in `tmpRe`/`tmpIm` (stages ping-pong between the two pairs; the other pair is then scratch).
   */
  transform(
    re: Float64Array,
    im: Float64Array,
    batch: number,
    tmpRe: Float64Array,
    tmpIm: Float64Array,
  ): boolean {
    let xr = re;
    let xi = im;
    let yr = tmpRe;
    let yi = tmpIm;
    let s = batch;
    for (const st of this.stages) {
      const m = st.n / st.radix;
      if (st.radix === 4) radix4(xr, xi, yr, yi, s, m, st.twRe, st.twIm);
      else if (st.radix === 2) radix2(xr, xi, yr, yi, s, m, st.twRe, st.twIm);
      else if (st.radix === 3) radix3(xr, xi, yr, yi, s, m, st.twRe, st.twIm);
      else radix5(xr, xi, yr, yi, s, m, st.twRe, st.twIm);
      s *= st.radix;
      const tr = xr;
      xr = yr;
      yr = tr;
      const ti = xi;
      xi = yi;
      yi = ti;
    }
    return xr === re;
  }
}

function radix2(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  twr: Float64Array,
  twi: Float64Array,
): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    const wr = twr[p];
    const wi = twi[p];
    const in0 = s * p;
    const out0 = s * 2 * p;
    for (let q = 0; q < s; q++) {
      const a = in0 + q;
      const b = a + sm;
      const ar = xr[a];
      const ai = xi[a];
      const br = xr[b];
      const bi = xi[b];
      const o = out0 + q;
      yr[o] = ar + br;
      yi[o] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      yr[o + s] = dr * wr - di * wi;
      yi[o + s] = dr * wi + di * wr;
    }
  }
}

function radix4(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  twr: Float64Array,
  twi: Float64Array,
): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    const w1r = twr[3 * p];
    const w1i = twi[3 * p];
    const w2r = twr[3 * p + 1];
    const w2i = twi[3 * p + 1];
    const w3r = twr[3 * p + 2];
    const w3i = twi[3 * p + 2];
    const in0 = s * p;
    const out0 = s * 4 * p;
    for (let q = 0; q < s; q++) {
      const i0 = in0 + q;
      const a0r = xr[i0];
      const a0i = xi[i0];
      const a1r = xr[i0 + sm];
      const a1i = xi[i0 + sm];
      const a2r = xr[i0 + 2 * sm];
      const a2i = xi[i0 + 2 * sm];
      const a3r = xr[i0 + 3 * sm];
      const a3i = xi[i0 + 3 * sm];
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      const t3r = a1r - a3r;
      const t3i = a1i - a3i;
      const o = out0 + q;
      yr[o] = t0r + t2r;
      yi[o] = t0i + t2i;
      // b1 = t1 - i t3, b2 = t0 - t2, b3 = t1 + i t3, each times its twiddle.
      const b1r = t1r + t3i;
      const b1i = t1i - t3r;
      const b2r = t0r - t2r;
      const b2i = t0i - t2i;
      const b3r = t1r - t3i;
      const b3i = t1i + t3r;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
      yr[o + 3 * s] = b3r * w3r - b3i * w3i;
      yi[o + 3 * s] = b3r * w3i + b3i * w3r;
    }
  }
}

const SIN_60 = Math.sqrt(3) / 2;

function radix3(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  twr: Float64Array,
  twi: Float64Array,
): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    const w1r = twr[2 * p];
    const w1i = twi[2 * p];
    const w2r = twr[2 * p + 1];
    const w2i = twi[2 * p + 1];
    const in0 = s * p;
    const out0 = s * 3 * p;
    for (let q = 0; q < s; q++) {
      const i0 = in0 + q;
      const a0r = xr[i0];
      const a0i = xi[i0];
      const a1r = xr[i0 + sm];
      const a1i = xi[i0 + sm];
      const a2r = xr[i0 + 2 * sm];
      const a2i = xi[i0 + 2 * sm];
      const t1r = a1r + a2r;
      const t1i = a1i + a2i;
      const t2r = a1r - a2r;
      const t2i = a1i - a2i;
      const cr = a0r - 0.5 * t1r;
      const ci = a0i - 0.5 * t1i;
      // b1 = c - i sin60 t2, b2 = c + i sin60 t2
      const b1r = cr + SIN_60 * t2i;
      const b1i = ci - SIN_60 * t2r;
      const b2r = cr - SIN_60 * t2i;
      const b2i = ci + SIN_60 * t2r;
      const o = out0 + q;
      yr[o] = a0r + t1r;
      yi[o] = a0i + t1i;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
    }
  }
}

const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

function radix5(
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
  s: number,
  m: number,
  twr: Float64Array,
  twi: Float64Array,
): void {
  const sm = s * m;
  for (let p = 0; p < m; p++) {
    const t = 4 * p;
    const in0 = s * p;
    const out0 = s * 5 * p;
    for (let q = 0; q < s; q++) {
      const i0 = in0 + q;
      const a0r = xr[i0];
      const a0i = xi[i0];
      const a1r = xr[i0 + sm];
      const a1i = xi[i0 + sm];
      const a2r = xr[i0 + 2 * sm];
      const a2i = xi[i0 + 2 * sm];
      const a3r = xr[i0 + 3 * sm];
      const a3i = xi[i0 + 3 * sm];
      const a4r = xr[i0 + 4 * sm];
      const a4i = xi[i0 + 4 * sm];
      const t1r = a1r + a4r;
      const t1i = a1i + a4i;
      const t2r = a2r + a3r;
      const t2i = a2i + a3i;
      const t3r = a1r - a4r;
      const t3i = a1i - a4i;
      const t4r = a2r - a3r;
      const t4i = a2i - a3i;
      const ar = a0r + C1 * t1r + C2 * t2r;
      const ai = a0i + C1 * t1i + C2 * t2i;
      const br = a0r + C2 * t1r + C1 * t2r;
      const bi = a0i + C2 * t1i + C1 * t2i;
      const vr = S1 * t3r + S2 * t4r;
      const vi = S1 * t3i + S2 * t4i;
      const ur = S2 * t3r - S1 * t4r;
      const ui = S2 * t3i - S1 * t4i;
      // b1 = A - iV, b4 = A + iV, b2 = B - iU, b3 = B + iU  (-i (x + iy) = y - ix)
      const b1r = ar + vi;
      const b1i = ai - vr;
      const b4r = ar - vi;
      const b4i = ai + vr;
      const b2r = br + ui;
      const b2i = bi - ur;
      const b3r = br - ui;
      const b3i = bi + ur;
      const o = out0 + q;
      yr[o] = a0r + t1r + t2r;
      yi[o] = a0i + t1i + t2i;
      let wr = twr[t];
      let wi = twi[t];
      yr[o + s] = b1r * wr - b1i * wi;
      yi[o + s] = b1r * wi + b1i * wr;
      wr = twr[t + 1];
      wi = twi[t + 1];
      yr[o + 2 * s] = b2r * wr - b2i * wi;
      yi[o + 2 * s] = b2r * wi + b2i * wr;
      wr = twr[t + 2];
      wi = twi[t + 2];
      yr[o + 3 * s] = b3r * wr - b3i * wi;
      yi[o + 3 * s] = b3r * wi + b3i * wr;
      wr = twr[t + 3];
      wi = twi[t + 3];
      yr[o + 4 * s] = b4r * wr - b4i * wi;
      yi[o + 4 * s] = b4r * wi + b4i * wr;
    }
  }
}
