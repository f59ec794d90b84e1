/**
 * t-SNE options: one type, one frozen set of defaults, and the one function that resolves every
 * "auto" (its result goes into run.json). The defaults are FIt-SNE's (Linderman et al. 2019, `fast_tsne`):
 * one learning rate max(200, N / 12) for the whole run, where openTSNE's "auto" uses N / exaggeration
 * per phase; the phases, exaggeration, momenta and initialisation are the same in both
 * (docs/architecture.md section 4).
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../../errors.js';
import { neighboursForPerplexity } from './affinities.js';
import { DEFAULT_THETA } from './gradient-bh.js';
import { OPTIMIZER_DEFAULTS } from './optimizer.js';

export interface TsneOptions {
  /** Embedding dimensions. */
  dims: 2 | 3;
  /** Effective number of neighbours (van der Maaten & Hinton 2008); lowered to (N - 1) / 3 when too large. */
  perplexity: number;
  /** Total gradient-descent iterations, early exaggeration included (openTSNE: 250 + 500). */
  iterations: number;
  /** Factor on P during the first phase (van der Maaten 2014; openTSNE, scikit-learn: 12). */
  earlyExaggeration: number;
  /** Length of the early-exaggeration phase (openTSNE, scikit-learn: 250). */
  earlyExaggerationIterations: number;
  /** Step size in openTSNE units (4x scikit-learn's, see optimizer.ts); 'auto' = max(200, N / 12). */
  learningRate: number | 'auto';
  /** Barnes-Hut accuracy: a cell is summarised when side / distance < theta (van der Maaten 2014: 0.5). */
  theta: number;
  /**
   * Repulsion method. 'auto': in 2D 'adaptive' (at every iteration FFT interpolation or Barnes-Hut,
   * whichever is cheaper for the current layout: repulsion-choice.ts), in 3D Barnes-Hut (the FFT
   * method is 2D only here).
   */
  method: 'auto' | 'bh' | 'fft';
  /** Pre-reduce with PCA to this many dimensions when the input is wider (docs/architecture.md section 4: 50). */
  pcaDims: number;
  /** 'pca': first principal components scaled so that column 0 has std 1e-4 (openTSNE); 'random': N(0, 1e-4^2). */
  initialization: 'pca' | 'random';
  /** Seed of every random step (kNN, random initialisation). */
  seed: number;
  /**
   * Threads for the gradient; 'auto' = the machine's available parallelism. The result is the same
   * for any thread count (see parallel-gradient.ts); below `PARALLEL_MIN_POINTS` one thread is used.
   */
  threads: number | 'auto';
  /** Neighbour search; 'auto' lets `knn` choose exact or approximate by N. */
  knnMethod: 'auto' | 'exact' | 'approx';
}

export const TSNE_DEFAULTS: Readonly<TsneOptions> = Object.freeze({
  dims: 2,
  perplexity: 30,
  iterations: OPTIMIZER_DEFAULTS.iterations,
  earlyExaggeration: OPTIMIZER_DEFAULTS.earlyExaggeration,
  earlyExaggerationIterations: OPTIMIZER_DEFAULTS.earlyExaggerationIterations,
  learningRate: 'auto',
  theta: DEFAULT_THETA,
  method: 'auto',
  pcaDims: 50,
  initialization: 'pca',
  seed: 0,
  threads: 'auto',
  knnMethod: 'auto',
});

/** Lower bound of the automatic learning rate (Kobak & Berens 2019; Belkina et al. 2019). */
export const MIN_AUTO_LEARNING_RATE = 200;
/** Std of the first initial coordinate (openTSNE `initialization.rescale`, 1e-4). */
export const INITIAL_STD = 1e-4;

export interface ResolvedTsneOptions {
  dims: 2 | 3;
  /** Perplexity actually used (after lowering for small N). */
  perplexity: number;
  /** Neighbours per point: min(N - 1, floor(3 perplexity)). */
  k: number;
  iterations: number;
  earlyExaggeration: number;
  earlyExaggerationIterations: number;
  learningRate: number;
  theta: number;
  /** 'adaptive': FFT or Barnes-Hut chosen per iteration (2D only). */
  method: 'bh' | 'fft' | 'adaptive';
  /** Dimensions after PCA pre-reduction, or null when the input is used as is. */
  pcaDims: number | null;
  initialization: 'pca' | 'random';
  seed: number;
  threads: number;
  knnMethod: 'auto' | 'exact' | 'approx';
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new UserError(`Invalid t-SNE option: ${what}.`);
}

/** Merge options with the defaults, validate them and resolve every 'auto' for N points of d features. */
export function resolveTsneOptions(
  n: number,
  d: number,
  options: Partial<TsneOptions> = {},
): { resolved: ResolvedTsneOptions; warnings: string[] } {
  const o: TsneOptions = {
    dims: options.dims ?? TSNE_DEFAULTS.dims,
    perplexity: options.perplexity ?? TSNE_DEFAULTS.perplexity,
    iterations: options.iterations ?? TSNE_DEFAULTS.iterations,
    earlyExaggeration: options.earlyExaggeration ?? TSNE_DEFAULTS.earlyExaggeration,
    earlyExaggerationIterations:
      options.earlyExaggerationIterations ?? TSNE_DEFAULTS.earlyExaggerationIterations,
    learningRate: options.learningRate ?? TSNE_DEFAULTS.learningRate,
    theta: options.theta ?? TSNE_DEFAULTS.theta,
    method: options.method ?? TSNE_DEFAULTS.method,
    pcaDims: options.pcaDims ?? TSNE_DEFAULTS.pcaDims,
    initialization: options.initialization ?? TSNE_DEFAULTS.initialization,
    seed: options.seed ?? TSNE_DEFAULTS.seed,
    threads: options.threads ?? TSNE_DEFAULTS.threads,
    knnMethod: options.knnMethod ?? TSNE_DEFAULTS.knnMethod,
  };
  check(o.dims === 2 || o.dims === 3, `dims must be 2 or 3, got ${o.dims}`);
  check(
    Number.isFinite(o.perplexity) && o.perplexity > 0,
    `perplexity must be a positive number, got ${o.perplexity}`,
  );
  check(
    Number.isInteger(o.iterations) && o.iterations >= 0,
    `iterations must be a whole number >= 0, got ${o.iterations}`,
  );
  check(
    Number.isFinite(o.earlyExaggeration) && o.earlyExaggeration > 0,
    `earlyExaggeration must be > 0, got ${o.earlyExaggeration}`,
  );
  check(
    Number.isInteger(o.earlyExaggerationIterations) && o.earlyExaggerationIterations >= 0,
    `earlyExaggerationIterations must be a whole number >= 0, got ${o.earlyExaggerationIterations}`,
  );
  check(
    o.learningRate === 'auto' || (Number.isFinite(o.learningRate) && o.learningRate > 0),
    `learningRate must be 'auto' or a positive number, got ${o.learningRate}`,
  );
  check(Number.isFinite(o.theta) && o.theta >= 0, `theta must be a number >= 0, got ${o.theta}`);
  check(['auto', 'bh', 'fft'].includes(o.method), `method must be auto, bh or fft, got ${o.method}`);
  check(
    Number.isInteger(o.pcaDims) && o.pcaDims >= 1,
    `pcaDims must be a whole number >= 1, got ${o.pcaDims}`,
  );
  check(o.initialization === 'pca' || o.initialization === 'random', `initialization must be pca or random`);
  check(Number.isInteger(o.seed), `seed must be an integer, got ${o.seed}`);
  check(
    o.threads === 'auto' || (Number.isInteger(o.threads) && o.threads >= 1),
    `threads must be 'auto' or >= 1`,
  );
  check(['auto', 'exact', 'approx'].includes(o.knnMethod), `knnMethod must be auto, exact or approx`);

  const warnings: string[] = [];
  let perplexity = o.perplexity;
  if (n > 1 && n - 1 < 3 * perplexity) {
    perplexity = (n - 1) / 3;
    warnings.push(
      `Perplexity ${o.perplexity} is too large for ${n} points (it needs at least 3 x perplexity + 1 points); ` +
        `using ${perplexity.toPrecision(4)} instead.`,
    );
  }
  let method: 'bh' | 'fft' | 'adaptive' = o.method === 'auto' ? (o.dims === 2 ? 'adaptive' : 'bh') : o.method;
  if (method === 'fft' && o.dims === 3) {
    warnings.push('The FFT method is 2D only; using Barnes-Hut for the 3D embedding.');
    method = 'bh';
  }
  const eeIterations = Math.min(o.earlyExaggerationIterations, o.iterations);
  return {
    resolved: {
      dims: o.dims,
      perplexity,
      k: neighboursForPerplexity(n, perplexity),
      iterations: o.iterations,
      earlyExaggeration: o.earlyExaggeration,
      earlyExaggerationIterations: eeIterations,
      learningRate: o.learningRate === 'auto' ? Math.max(MIN_AUTO_LEARNING_RATE, n / 12) : o.learningRate,
      theta: o.theta,
      method,
      pcaDims: d > o.pcaDims ? o.pcaDims : null,
      initialization: o.initialization,
      seed: o.seed,
      threads: o.threads === 'auto' ? availableParallelism() : o.threads,
      knnMethod: o.knnMethod,
    },
    warnings,
  };
}
