/**
 * Discrete 2D convolution of an m x m grid with the squared Cauchy kernel K(d) = 1 / (1 + |d|^2)^2
 * sampled at the grid's offsets (spacing h): the Toeplitz product at the centre of FFT-interpolated
 * t-SNE (Linderman et al. 2019; FIt-SNE `nbodyfft.cpp`, openTSNE `_matrix_mul`). The product is
 * embedded in a circulant of side L = 2m and computed with our FFT (fft.ts).
 *
 * Work saved compared with three plain L x L transforms per product:
 * - Inputs are zero outside the first m rows and columns, and only the first m rows and columns of
 *   the output are wanted: each direction transforms only the m columns that can be non-zero
 *   (forward) or that are kept (inverse): 1.5 L^2 instead of 2 L^2 per transform.
 * - The circulant kernel is real and even in both axes, so its spectrum is real and even, and is a
 *   pair of cosine transforms: rows and then columns of distinct values only, two real sequences per
 *   complex FFT, about L^2 / 2 instead of 2 L^2.
 * - A complex input carries two real grids (the kernel is real, so the real and imaginary parts of
 *   the result are their two convolutions).
 *
 * The transforms of `convolve` run in WebAssembly with SIMD when wasm/fft-convolution.wasm is built
 * (wasm-convolution.ts; same numbers, bit for bit), otherwise in TypeScript (fft.ts). Either way the
 * work arrays are the same views, so the kernel spectrum is computed here by the TypeScript FFT.
 */
import { FftPlan } from './fft.js';
import { WasmConvolution, wasmConvolutionAvailable } from './wasm-convolution.js';

export class KernelConvolution2d {
  private m = 0;
  private size = 0;
  private plan: FftPlan | null = null;
  private readonly plans = new Map<number, FftPlan>();
  /** Real kernel spectrum, L x L, with the 1 / L^2 of the inverse transform folded in. */
  private kHat: Float64Array = new Float64Array(0);
  private dRe: Float64Array = new Float64Array(0);
  private dIm: Float64Array = new Float64Array(0);
  private cRe: Float64Array = new Float64Array(0);
  private cIm: Float64Array = new Float64Array(0);
  private tRe: Float64Array = new Float64Array(0);
  private tIm: Float64Array = new Float64Array(0);
  private readonly wasm: WasmConvolution | null;

  private h = 0;

  /** `useWasm`: run the transforms in WebAssembly when it is available (tests compare both). */
  constructor(useWasm = true) {
    this.wasm = useWasm && wasmConvolutionAvailable() ? new WasmConvolution() : null;
  }

  /** True when `convolve` runs in WebAssembly. */
  get usesWasm(): boolean {
    return this.wasm !== null;
  }

  /** Grid of m x m nodes at spacing h: (re)computes the kernel spectrum unless the grid is unchanged. */
  setGrid(m: number, h: number): void {
    if (m === this.m && h === this.h) return;
    this.h = h;
    const L = 2 * m;
    let plan = this.plans.get(L);
    if (!plan) {
      plan = new FftPlan(L);
      this.plans.set(L, plan);
    }
    if (this.wasm !== null) {
      if (L !== this.size) {
        const b = this.wasm.layout(plan);
        this.cRe = b.cRe;
        this.cIm = b.cIm;
        this.dRe = b.dRe;
        this.dIm = b.dIm;
        this.tRe = b.tRe;
        this.tIm = b.tIm;
        this.kHat = b.kHat;
      }
    } else {
      const cells = L * L;
      if (this.kHat.length < cells) {
        // Grow only (by 1.25 in cells) so a slowly widening embedding does not reallocate every step.
        const cap = Math.ceil(cells * 1.25);
        this.kHat = new Float64Array(cap);
        this.dRe = new Float64Array(cap);
        this.dIm = new Float64Array(cap);
        this.cRe = new Float64Array(cap);
        this.cIm = new Float64Array(cap);
        this.tRe = new Float64Array(cap);
        this.tIm = new Float64Array(cap);
      }
    }
    this.m = m;
    this.size = L;
    this.plan = plan;
    this.kernelSpectrum(h);
  }

  /**
   * Kernel spectrum by cosine transforms. Circulant index rho in [0, L) stands for offset
   * min(rho, L - rho); offset m does not occur between m nodes and stays 0.
   */
  private kernelSpectrum(h: number): void {
    const { m, size: L, cRe, cIm, tRe, tIm, kHat } = this;
    const plan = this.plan!;
    const h2 = h * h;
    // Rows: for each distinct row offset r < m, the row's values over column index c; rows 2q and
    // 2q + 1 share sequence q (real and imaginary part). Element c of sequence q sits at q + P c.
    const P = (m + 1) >> 1;
    cRe.fill(0, 0, P * L);
    cIm.fill(0, 0, P * L);
    for (let r = 0; r < m; r++) {
      const target = (r & 1) === 0 ? cRe : cIm;
      const q = r >> 1;
      for (let c = 0; c < L; c++) {
        const off = c <= m ? c : L - c;
        if (off === m) continue;
        const den = 1 + (r * r + off * off) * h2;
        target[q + P * c] = 1 / (den * den);
      }
    }
    plan.forward(cRe, cIm, P, tRe, tIm);
    // Columns: for each distinct column frequency v <= m, the values E_r(v) over row index rho;
    // frequencies 2q and 2q + 1 share sequence q. Element rho of sequence q sits at q + Q rho.
    const Q = (m + 2) >> 1;
    const gRe = tRe;
    const gIm = tIm;
    gRe.fill(0, 0, Q * L);
    gIm.fill(0, 0, Q * L);
    for (let v = 0; v <= m; v++) {
      const target = (v & 1) === 0 ? gRe : gIm;
      const q = v >> 1;
      for (let rho = 0; rho < L; rho++) {
        const r = rho <= m ? rho : L - rho;
        if (r === m) continue;
        const src = (r & 1) === 0 ? cRe : cIm;
        target[q + Q * rho] = src[(r >> 1) + P * v];
      }
    }
    plan.forward(gRe, gIm, Q, this.dRe, this.dIm);
    const scale = 1 / (L * L);
    for (let u = 0; u < L; u++) {
      for (let v = 0; v <= m; v++) {
        const val = ((v & 1) === 0 ? gRe[(v >> 1) + Q * u] : gIm[(v >> 1) + Q * u]) * scale;
        kHat[u * L + v] = val;
        if (v > 0 && v < m) kHat[u * L + (L - v)] = val;
      }
    }
  }

  /**
   * Convolve one complex grid (two real grids), m x m row-major, in place: on return `re` and `im`
   * hold sum over nodes g' of K(g - g') times the input at g'.
   */
  convolve(re: Float64Array, im: Float64Array): void {
    const { m, size: L, cRe, cIm, dRe, dIm, tRe, tIm, kHat } = this;
    const plan = this.plan!;
    const mm = m * m;
    if (this.wasm !== null) {
      cRe.set(re.subarray(0, mm));
      cIm.set(im.subarray(0, mm));
      this.wasm.convolve(m);
      re.set(cRe.subarray(0, mm));
      im.set(cIm.subarray(0, mm));
      return;
    }
    // Forward, along y for the m input columns: C is L x m (stride m), rows >= m zero.
    cRe.set(re.subarray(0, mm));
    cIm.set(im.subarray(0, mm));
    cRe.fill(0, mm, L * m);
    cIm.fill(0, mm, L * m);
    // Each transform leaves its result in the pair it names or in the scratch pair (no copy back).
    let inPlace = plan.transform(cRe, cIm, m, tRe, tIm);
    // Along x: D[x L + v] = C[v m + x], rows x >= m zero, then transform all L columns.
    transposeInto(inPlace ? cRe : tRe, dRe, L, m);
    transposeInto(inPlace ? cIm : tIm, dIm, L, m);
    dRe.fill(0, mm * 2, L * L);
    dIm.fill(0, mm * 2, L * L);
    inPlace = plan.transform(dRe, dIm, L, tRe, tIm);
    const sRe = inPlace ? dRe : tRe;
    const sIm = inPlace ? dIm : tIm;
    const oRe = inPlace ? tRe : dRe;
    const oIm = inPlace ? tIm : dIm;
    // S[u L + v] is the spectrum (u: x frequency); the kernel's is symmetric in u and v.
    for (let g = 0; g < L * L; g++) {
      const k = kHat[g];
      sRe[g] *= k;
      sIm[g] *= k;
    }
    // Inverse (forward with real and imaginary parts swapped), along u: rows x < m are kept.
    inPlace = plan.transform(sIm, sRe, L, oIm, oRe);
    // Along v: C[v m + x] = D[x L + v] for x < m, then transform the m columns.
    transposeInto(inPlace ? sRe : oRe, cRe, m, L);
    transposeInto(inPlace ? sIm : oIm, cIm, m, L);
    inPlace = plan.transform(cIm, cRe, m, tIm, tRe);
    re.set((inPlace ? cRe : tRe).subarray(0, mm));
    im.set((inPlace ? cIm : tIm).subarray(0, mm));
  }
}

/** dst (cols x rows, row-major) = transpose of src (rows x cols, row-major), in tiles. */
function transposeInto(src: Float64Array, dst: Float64Array, rows: number, cols: number): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
      }
    }
  }
}
