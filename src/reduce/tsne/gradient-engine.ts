/**
 * One t-SNE gradient evaluation: attractive forces over P plus unnormalised repulsion and Z, behind
 * one interface so that the optimiser does not care whether it runs on one thread or several
 * (parallel-gradient.ts).
 */
import type { CsrMatrix } from './affinities.js';
import { AttractionKernel } from './attraction-kernel.js';
import type { Repulsion } from './gradient-bh.js';
import { descendAll, type StepCoefficients, StepScratch, type StepState } from './gradient-step.js';

export interface GradientEngine {
  /** Threads this engine computes on (1 = this thread only). */
  readonly threads: number;
  /** A zeroed array the engine can read and write (shared memory for the parallel engine). */
  allocate(length: number): Float64Array;
  /**
   * Attractive forces (times `exaggeration`) into `attr` and unnormalised repulsion into `rep`, both
   * n x dims, for the embedding `positions` (which must come from `allocate`); returns Z.
   */
  evaluate(positions: Float64Array, exaggeration: number, attr: Float64Array, rep: Float64Array): number;
  /**
   * One descent step with the forces of the last `evaluate` (gradient-step.ts): moves
   * `state.positions` and re-centres them. Its arrays must come from `allocate`.
   */
  descend(state: StepState, coefficients: StepCoefficients): void;
  /** Z alone for `positions` (used for the final KL divergence); `scratch` is n x dims. */
  normalisation(positions: Float64Array, scratch: Float64Array): number;
  /** Release threads, if any. */
  dispose(): void;
}

/** Everything on the calling thread. */
export class SerialGradient implements GradientEngine {
  readonly threads = 1;
  private readonly attraction: AttractionKernel;
  private readonly scratch: StepScratch;
  constructor(
    private readonly p: CsrMatrix,
    private readonly dims: 2 | 3,
    private readonly repulsion: Repulsion,
  ) {
    this.attraction = new AttractionKernel(p, dims);
    this.scratch = new StepScratch(p.n, dims);
  }
  allocate(length: number): Float64Array {
    return new Float64Array(length);
  }
  evaluate(positions: Float64Array, exaggeration: number, attr: Float64Array, rep: Float64Array): number {
    const n = this.p.n;
    this.attraction.compute(positions, exaggeration, attr, 0, n);
    return this.repulsion.compute(positions, n, rep);
  }
  descend(state: StepState, coefficients: StepCoefficients): void {
    descendAll(state, this.p.n, this.dims, coefficients, this.scratch);
  }
  normalisation(positions: Float64Array, scratch: Float64Array): number {
    return this.repulsion.compute(positions, this.p.n, scratch);
  }
  dispose(): void {}
}
