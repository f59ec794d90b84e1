/**
 * Barnes-Hut or FFT interpolation, chosen at every iteration of a 2D embedding by which is cheaper
 * for the current layout. Barnes-Hut costs ~N log N whatever the layout; the FFT grid costs
 * ~L^2 log L for a circulant of side L = 6 n_boxes, and the box count follows the embedding's span
 * (gradient-fft.ts), which grows from ~5 units in early exaggeration to 100-200 at the end. So at
 * 10k points the FFT is cheaper while the embedding is compact and Barnes-Hut once it has spread out,
 * and at 70k the FFT stays cheaper throughout. openTSNE picks one method by N alone (FFT from 10k
 * points); measured here (one thread, layouts of a 10k run), that choice made the last iterations
 * (span 137, 144 boxes) far slower than Barnes-Hut, while at 8 units of span the FFT is the faster
 * of the two (bench/README.md, 'Where the thresholds come from').
 *
 * Both methods approximate the same forces to ~1-3% (gradient-fft.ts, gradient-bh.ts), so switching
 * between them does not disturb the optimisation. The choice depends only on N and the positions,
 * so a run stays deterministic.
 */
import { BhRepulsion, type Repulsion } from './gradient-bh.js';
import { coordinateRange, FftRepulsion2d, gridFor } from './gradient-fft.js';
import { wasmConvolutionAvailable } from './wasm-convolution.js';

/**
 * Cost-model constants: nanoseconds per unit of work on one thread, fitted to profiles of 10k and 70k
 * layouts (`bench/tsne/profile.ts`; the measurements are in bench/README.md, 'Where the thresholds come
 * from'): Barnes-Hut (tree build and walk) per N log2 N, the two grid convolutions per L^2 log2 L in
 * WebAssembly or, when the module is missing, in TypeScript, spreading and gathering per point (more
 * at 70k, where the points' boxes no longer stay in cache). Only their ratios matter. At 10k the FFT
 * is then chosen up to a span of about 65 units; at 70k it is chosen throughout (still a little
 * cheaper than Barnes-Hut at the end, span 166).
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
