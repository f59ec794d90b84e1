/**
 * Gradient descent for t-SNE with momentum and per-coordinate gains (Jacobs 1988 "delta-bar-delta",
 * as used by van der Maaten's bhtsne, scikit-learn `_gradient_descent` and openTSNE
 * `gradient_descent`), in two phases: early exaggeration, then the plain objective.
 *
 * Units. The gradient of KL(P || Q) is 4 sum_j (p_ij - q_ij) w_ij (y_i - y_j) (van der Maaten & Hinton
 * 2008, eq. 5). Like openTSNE, FIt-SNE and bhtsne we drop the constant 4, so our learning rate is
 * 4 times scikit-learn's for the same step: scikit-learn's learning_rate="auto" is
 * max(N / early_exaggeration / 4, 50) (sklearn/manifold/_t_sne.py), i.e. N / 12 in our units, the rule
 * of Belkina et al. 2019 ("Automated optimized parameters for t-SNE", Nat. Commun.) that Kobak &
 * Berens 2019 ("The art of using t-SNE for single-cell transcriptomics") write as max(200, N / 12).
 * That is our "auto" (resolved in options.ts), used unchanged in both phases.
 *
 * The optimiser state (update and gains) carries over from early exaggeration to the second phase,
 * as in openTSNE's TSNEEmbedding (scikit-learn restarts it). The embedding is re-centred after every
 * step (openTSNE does the same), which keeps the FFT grid and the tree around the origin.
 */
import type { CsrMatrix } from './affinities.js';
import type { GradientEngine } from './gradient-engine.js';
import { klDivergence } from './kl-divergence.js';

export interface OptimizerParams {
  /** Step size in openTSNE units (see above). */
  learningRate: number;
  /** Total iterations, early exaggeration included. */
  iterations: number;
  /** Factor on P during the first phase (van der Maaten 2014: 12). */
  earlyExaggeration: number;
  /** Length of the first phase (openTSNE / scikit-learn: 250). */
  earlyExaggerationIterations: number;
  /** Momentum during early exaggeration (van der Maaten 2014: 0.5). */
  momentumEarly: number;
  /** Momentum afterwards (van der Maaten 2014: 0.8). */
  momentumLate: number;
  /** Floor of the per-coordinate gains (bhtsne, scikit-learn, openTSNE: 0.01). */
  minGain: number;
  /**
   * Largest step a point may take in one iteration, in embedding units; longer steps are shortened
   * (openTSNE `max_step_norm`, default 5): keeps a few points from being flung away by a large
   * learning rate in the first iterations. `Infinity` disables it.
   */
  maxStepNorm: number;
}

export const OPTIMIZER_DEFAULTS: Readonly<Omit<OptimizerParams, 'learningRate'>> = Object.freeze({
  iterations: 750,
  earlyExaggeration: 12,
  earlyExaggerationIterations: 250,
  momentumEarly: 0.5,
  momentumLate: 0.8,
  minGain: 0.01,
  maxStepNorm: 5,
});

export type OptimizerStage = 'early-exaggeration' | 'embedding';

export class TsneOptimizer {
  /** Current embedding, n x dims row-major; updated in place by `step`. */
  readonly positions: Float64Array;
  /** Iterations done so far. */
  iteration = 0;
  /** Z from the last gradient evaluation. */
  lastZ = 0;
  private readonly update: Float64Array;
  private readonly gains: Float64Array;
  private readonly attr: Float64Array;
  private readonly rep: Float64Array;

  constructor(
    private readonly p: CsrMatrix,
    initial: Float64Array,
    readonly n: number,
    readonly dims: 2 | 3,
    private readonly engine: GradientEngine,
    readonly params: OptimizerParams,
  ) {
    const size = n * dims;
    this.positions = engine.allocate(size);
    this.positions.set(initial.subarray(0, size));
    // In the engine's memory: the parallel engine's threads each step a range of points.
    this.update = engine.allocate(size);
    this.gains = engine.allocate(size).fill(1);
    this.attr = engine.allocate(size);
    this.rep = engine.allocate(size);
  }

  get done(): boolean {
    return this.iteration >= this.params.iterations;
  }

  get stage(): OptimizerStage {
    return this.iteration < this.params.earlyExaggerationIterations ? 'early-exaggeration' : 'embedding';
  }

  /** One gradient-descent iteration: the forces, then the step and re-centring (gradient-step.ts). */
  step(): void {
    const { positions, update, gains, attr, rep, params } = this;
    const early = this.iteration < params.earlyExaggerationIterations;
    const z = this.engine.evaluate(positions, early ? params.earlyExaggeration : 1, attr, rep);
    this.lastZ = z;
    this.engine.descend(
      { positions, update, gains, attr, rep },
      {
        invZ: z > 0 ? 1 / z : 0,
        momentum: early ? params.momentumEarly : params.momentumLate,
        learningRate: params.learningRate,
        minGain: params.minGain,
        maxStep2: params.maxStepNorm * params.maxStepNorm,
      },
    );
    this.iteration++;
  }

  /**
   * Run the remaining iterations. `onProgress(fraction, stage)` is called every `progressEvery`
   * iterations and at the end; `shouldContinue` is polled at the same points and stops the run when it
   * returns false. Returns true when all iterations are done.
   */
  run(
    onProgress?: (fraction: number, stage: OptimizerStage) => void,
    shouldContinue?: () => boolean,
    progressEvery = 10,
  ): boolean {
    while (!this.done) {
      this.step();
      if (this.iteration % progressEvery === 0 || this.done) {
        onProgress?.(this.iteration / this.params.iterations, this.stage);
        if (shouldContinue && !shouldContinue()) return this.done;
      }
    }
    return true;
  }

  /** KL(P || Q) of the current embedding, with Z from a fresh repulsion pass at these positions. */
  klDivergence(): number {
    const z = this.engine.normalisation(this.positions, this.rep);
    return klDivergence(this.p, this.positions, this.dims, z);
  }
}
