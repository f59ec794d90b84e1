/**
 * Barnes-Hut or FFT interpolation, chosen at every iteration of a 2D embedding by which is cheaper
 * for the current layout. Barnes-Hut costs ~N log N whatever the layout; the FFT grid costs
 * ~L^2 log L for a circulant of side L = 6 n_boxes, and the box count follows the embedding's span
 * (gradient-fft.ts), which grows from ~5 units in early exaggeration to 100-200 at the end. So at
 * 10k points the FFT is cheaper while the embedding is compact and Barnes-Hut once it has spread out,
 * and at 70k the FFT stays cheaper throughout. openTSNE picks one method by N alone (FFT from 10k
 * points); measured here (one thread, layouts of a 10k run), that choice cost 72 ms per iteration at
 * the end (span 137, 144 boxes) where Barnes-Hut takes 16 ms, while at 8 units of span Barnes-Hut
 * costs 15 ms against the FFT's 9 ms.
 *
 * Both methods approximate the same forces to ~1-3% (gradient-fft.ts, gradient-bh.ts), so switching
 * between them does not disturb the optimisation. The choice depends only on N and the positions,
 * so a run stays deterministic.
 */
import { BhRepulsion, type Repulsion } from './gradient-bh.js';
import { coordinateRange, FftRepulsion2d, gridFor } from './gradient-fft.js';
import { wasmConvolutionAvailable } from './wasm-convolution.js';

/**
 * Cost-model constants in nanoseconds, measured on one thread (layouts of 10k and 70k runs; 2-core
 * Xeon, Node 20, WebAssembly kernels): Barnes-Hut (tree build and walk) ~110-160 ns per N log2 N
 * (15-21 ms at 10k, 175-184 ms at 70k), the two grid convolutions ~11 ns per L^2 log2 L in WebAssembly
 * (~25 ns in TypeScript when the module is missing), spreading and gathering ~180-370 ns per point
 * (more at 70k, where the points' boxes no longer stay in cache). Only their ratios matter. At 10k the
 * FFT is then chosen up to a span of about 65 units; at 70k it is chosen throughout (161 against
 * Barnes-Hut's 175 ms per evaluation at the end, span 166).
 */
export const BH_NS_PER_N_LOG_N = 150;
export const FFT_NS_PER_L2_LOG_L = 11;
export const FFT_NS_PER_L2_LOG_L_TYPESCRIPT = 25;
export const FFT_NS_PER_POINT = 300;

/** Largest minus smallest coordinate over both axes of an n x 2 layout (the FFT grid's span). */
export function span2d(positions: Float64Array, n: number): number {
  if (n === 0) return 0;
  const { lo, hi } = coordinateRange(positions, n);
  return hi - lo;
}

/** True when the FFT interpolation is expected to be cheaper than Barnes-Hut for n points over `span`. */
export function fftIsCheaper(n: number, span: number): boolean {
  const L = 6 * gridFor(span).nBoxes;
  const perCell = wasmConvolutionAvailable() ? FFT_NS_PER_L2_LOG_L : FFT_NS_PER_L2_LOG_L_TYPESCRIPT;
  const fft = perCell * L * L * Math.log2(L) + FFT_NS_PER_POINT * n;
  const bh = BH_NS_PER_N_LOG_N * n * Math.log2(Math.max(2, n));
  return fft < bh;
}

/** The adaptive choice on one thread (parallel-gradient.ts makes the same choice with its workers). */
export class AdaptiveRepulsion2d implements Repulsion {
  private readonly bh: BhRepulsion;
  private readonly fft = new FftRepulsion2d();
  /** Iterations done with each method so far. */
  readonly uses = { bh: 0, fft: 0 };
  constructor(theta: number) {
    this.bh = new BhRepulsion(2, theta);
  }
  compute(positions: Float64Array, n: number, out: Float64Array): number {
    if (fftIsCheaper(n, span2d(positions, n))) {
      this.uses.fft++;
      return this.fft.compute(positions, n, out);
    }
    this.uses.bh++;
    return this.bh.compute(positions, n, out);
  }
}
