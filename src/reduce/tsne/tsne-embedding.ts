/**
 * The steppable t-SNE (in the spirit of openTSNE's `prepare_initial` + `optimize` and umap-js's
 * `initializeFit` + `step`): `TSNE.prepare` does everything before the optimisation (validation, PCA
 * pre-reduction, kNN, perplexity-calibrated affinities, the initial layout, the gradient engine), then
 * `step()` runs one gradient-descent iteration and `run()` the rest, stoppable by a signal or by the
 * iteration callback. docs/architecture.md section 4 lists the method and its defaults.
 */
import { CancelledError, UserError } from '../../errors.js';
import { assertMatrix, type Matrix } from '../../matrix.js';
import { pca } from '../pca/pca.js';
import { missingWasmModules, wasmFallbackWarning } from '../wasm-modules.js';
import { BhRepulsion } from './gradient-bh.js';
import { type GradientEngine, SerialGradient } from './gradient-engine.js';
import { FftRepulsion2d } from './gradient-fft.js';
import { initialLayout } from './initial-layout.js';
import { permuteRows, unpermuteRows } from './locality-order.js';
import { OPTIMIZER_DEFAULTS, type OptimizerStage, TsneOptimizer } from './optimizer.js';
import { type ResolvedTsneOptions, resolveTsneOptions, type TsneOptions } from './options.js';
import { ParallelGradient } from './parallel-gradient.js';
import { AdaptiveRepulsion2d } from './repulsion-choice.js';
import { affinitiesKey, computeAffinities, type TsneAffinities } from './shared-affinities.js';

/** Progress in [0, 1] and the stage it is in (`tsne:knn`, `tsne:early-exaggeration`, ...). */
export type TsneProgress = (fraction: number, stage: string) => void;

export interface TsnePrepareOptions extends Partial<TsneOptions> {
  /**
   * PCA, neighbours and P computed before by `tsneAffinities` (tsne.ts) for the same features and
   * options, e.g. by the 2D map for the 3D one; used only when they match (else computed again).
   */
  affinities?: TsneAffinities;
  /** Cancels the preparation with a CancelledError. */
  signal?: AbortSignal;
  /** Progress of the preparation, as a share of a whole run (it ends at 0.15). */
  onProgress?: TsneProgress;
}

/** What `onIteration` sees after each iteration. */
export interface TsneIteration {
  /** Iterations done so far (1 after the first). */
  iteration: number;
  stage: OptimizerStage;
  /** The current layout, rows in input order (a fresh copy the caller may keep). */
  embedding: Matrix;
}

export interface TsneRunOptions {
  /** Stops the run with a CancelledError (checked every few iterations, between iterations). */
  signal?: AbortSignal;
  /** Called after every iteration; returning `false` stops the run there (no error); any other value goes on. */
  onIteration?: (it: TsneIteration) => unknown;
  /** Overall progress (0.15 .. 1 for the optimisation). */
  onProgress?: TsneProgress;
  /** Stop after this many iterations in total (default: all of them). */
  until?: number;
}

export interface TsneResult {
  /** n x dims, row-major, input row order. */
  embedding: Float32Array;
  /** KL(P || Q) of the final embedding (over the sparse P; see kl-divergence.ts). */
  klDivergence: number;
  /** Every resolved setting, 'auto' values included (for run.json). */
  resolved: ResolvedTsneOptions & Record<string, unknown>;
  warnings: string[];
}

/** Share of the progress bar per phase (the optimisation dominates the run time). */
const PROGRESS_SHARE = { prepare: 0.15, optimise: 0.85 } as const;
/**
 * Below this many points the gradient stays on one thread: the work per iteration is too small to
 * repay waking the workers. The thread count does not change the result; `resolved.threads` records
 * the count actually used.
 */
export const PARALLEL_MIN_POINTS = 1000;
/** Iterations between yields to the event loop in `run`, so an AbortSignal from a signal handler gets through. */
const YIELD_EVERY = 10;

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError('t-SNE cancelled');
}

export class TSNE {
  /** Every resolved setting (for run.json); `threads` is the count actually used. */
  readonly resolved: ResolvedTsneOptions & Record<string, unknown>;
  /** Warnings about the input and every fallback taken (none is silent). */
  readonly warnings: string[];
  private disposed = false;

  private constructor(
    readonly rows: number,
    readonly dims: 2 | 3,
    resolved: ResolvedTsneOptions & Record<string, unknown>,
    warnings: string[],
    /** null when there is nothing to optimise (fewer than 2 points). */
    private readonly optimizer: TsneOptimizer | null,
    private readonly engine: GradientEngine | null,
    /** Locality order of the optimiser's rows (locality-order.ts). */
    private readonly order: Int32Array | null,
  ) {
    this.resolved = resolved;
    this.warnings = warnings;
  }

  /**
   * Everything before the optimisation: validation, PCA pre-reduction of wide inputs, kNN,
   * affinities, the initial layout and the gradient engine (worker threads when N is large enough).
   * Throws UserError for unusable input or options, CancelledError when `signal` aborts.
   */
  static async prepare(x: Matrix, options: TsnePrepareOptions = {}): Promise<TSNE> {
    assertMatrix(x, 't-SNE input');
    const { data, rows: n, cols: d } = x;
    assertFinite(data, n, d);
    const { signal, onProgress, ...tsneOptions } = options;
    const { resolved: base, warnings } = resolveTsneOptions(n, d, tsneOptions);
    const dims = base.dims;
    const missing = missingWasmModules();
    const resolved: ResolvedTsneOptions & Record<string, unknown> = {
      ...base,
      threadsRequested: base.threads,
      kernels: missing.length === 0 ? 'webassembly' : { typescript: missing },
    };
    const fallback = wasmFallbackWarning('t-SNE');
    if (fallback !== null) warnings.push(fallback);
    if (n <= 1) {
      // One point (or none): nothing to arrange; it sits at the origin.
      resolved.threads = 1;
      onProgress?.(PROGRESS_SHARE.prepare, 'tsne:prepared');
      return new TSNE(n, dims, resolved, warnings, null, null, null);
    }
    checkAborted(signal);

    // 1-2. PCA pre-reduction, neighbours and P (shared-affinities.ts): given by the caller when another
    // map of the same features computed them, else computed here.
    const threads = n >= PARALLEL_MIN_POINTS ? base.threads : 1;
    const key = affinitiesKey(n, d, base, threads);
    const given = options.affinities?.key === key ? options.affinities : null;
    const shared =
      given ??
      (await computeAffinities(data, n, d, base, threads, 0, (phase) => {
        if (phase === 'knn') onProgress?.(PROGRESS_SHARE.prepare * 0.2, 'tsne:knn');
        else if (phase === 'affinities') onProgress?.(PROGRESS_SHARE.prepare * 0.9, 'tsne:affinities');
        else onProgress?.(0, 'tsne:pca');
      }));
    warnings.push(...shared.warnings);
    resolved.knnMethod = shared.knnMethod;
    resolved.affinities = given ? 'given' : 'computed';
    checkAborted(signal);
    // The initial layout: the leading principal components (of the pre-reduction when there was one).
    let projected = shared.pca ?? new Float64Array(0);
    let projectedDims = shared.pcaStride;
    if (shared.pca === null) {
      projectedDims = Math.min(dims, d);
      if (base.initialization === 'pca')
        projected = pca(data, n, d, projectedDims, { seed: base.seed }).projected;
    }
    const initialInput = initialLayout(projected, n, projectedDims, base, warnings);
    await nextTick();

    // 3. The optimiser, on the points renumbered for cache locality (locality-order.ts).
    const { p, order } = shared;
    const initial = permuteRows(initialInput, order, dims);
    let engine: GradientEngine | null = null;
    if (threads > 1) {
      try {
        engine = await ParallelGradient.create(p, dims, base.method, base.theta, threads);
      } catch (e) {
        warnings.push(`Could not start worker threads (${(e as Error).message}); t-SNE runs on one thread.`);
      }
    }
    engine ??= new SerialGradient(
      p,
      dims,
      base.method === 'fft'
        ? new FftRepulsion2d()
        : base.method === 'adaptive'
          ? new AdaptiveRepulsion2d(base.theta)
          : new BhRepulsion(dims, base.theta),
    );
    resolved.threads = engine.threads;
    const optimizer = new TsneOptimizer(p, initial, n, dims, engine, {
      learningRate: base.learningRate,
      iterations: base.iterations,
      earlyExaggeration: base.earlyExaggeration,
      earlyExaggerationIterations: base.earlyExaggerationIterations,
      momentumEarly: OPTIMIZER_DEFAULTS.momentumEarly,
      momentumLate: OPTIMIZER_DEFAULTS.momentumLate,
      minGain: OPTIMIZER_DEFAULTS.minGain,
      maxStepNorm: OPTIMIZER_DEFAULTS.maxStepNorm,
    });
    onProgress?.(PROGRESS_SHARE.prepare, 'tsne:prepared');
    return new TSNE(n, dims, resolved, warnings, optimizer, engine, order);
  }

  /** Iterations done so far. */
  get iteration(): number {
    return this.optimizer?.iteration ?? 0;
  }

  /** Iterations of a whole run (early exaggeration included). */
  get iterations(): number {
    return this.optimizer === null ? 0 : this.resolved.iterations;
  }

  get done(): boolean {
    return this.optimizer?.done ?? true;
  }

  get stage(): OptimizerStage {
    return this.optimizer?.stage ?? 'embedding';
  }

  /** The current layout, rows in input order, as a fresh float32 copy. */
  get embedding(): Matrix {
    this.assertUsable();
    const data =
      this.optimizer === null || this.order === null
        ? new Float32Array(this.rows * this.dims)
        : unpermuteRows(this.optimizer.positions, this.order, this.dims);
    return { data, rows: this.rows, cols: this.dims };
  }

  /** One gradient-descent iteration (nothing when all are done). */
  step(): void {
    this.assertUsable();
    if (!this.done) this.optimizer!.step();
  }

  /**
   * Runs the remaining iterations (or up to `until`). Yields to the event loop every few iterations,
   * so it can be stopped by `signal` (CancelledError) from a signal handler or a timer; `onIteration`
   * can stop it by returning false.
   */
  async run(options: TsneRunOptions = {}): Promise<void> {
    this.assertUsable();
    const { signal, onIteration, onProgress } = options;
    const end = Math.min(options.until ?? this.iterations, this.iterations);
    const opt = this.optimizer;
    checkAborted(signal);
    while (opt !== null && opt.iteration < end) {
      const stop = Math.min(end, opt.iteration + YIELD_EVERY);
      while (opt.iteration < stop) {
        opt.step();
        if (
          onIteration?.({ iteration: opt.iteration, stage: opt.stage, embedding: this.embedding }) === false
        )
          return;
      }
      onProgress?.(
        PROGRESS_SHARE.prepare + (PROGRESS_SHARE.optimise * opt.iteration) / this.iterations,
        `tsne:${opt.stage}`,
      );
      await nextTick();
      checkAborted(signal);
    }
    if (this.done) onProgress?.(1, 'tsne:done');
  }

  /** KL(P || Q) of the current layout (one extra repulsion pass). */
  klDivergence(): number {
    this.assertUsable();
    return this.optimizer?.klDivergence() ?? 0;
  }

  /** The current layout with its KL divergence and every resolved setting. */
  result(): TsneResult {
    return {
      embedding: this.embedding.data,
      klDivergence: this.klDivergence(),
      resolved: this.resolved,
      warnings: this.warnings,
    };
  }

  /** Stops the worker threads; the object cannot be used afterwards. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.engine?.dispose();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('this TSNE was disposed');
  }
}

/** Throws a UserError naming the first rows that hold NaN or +-Infinity. */
export function assertFinite(data: Float32Array, n: number, d: number): void {
  const bad: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(data[i * d + j])) {
        if (bad.length < 5) bad.push(i);
        count++;
        break;
      }
    }
  }
  if (count > 0) {
    throw new UserError(
      `The features contain NaN or infinite values in ${count} row(s), first at row(s) ${bad.join(', ')} ` +
        '(0-based). t-SNE needs finite numbers: check the model output for these images, or remove them.',
    );
  }
}
