/**
 * The reduce stage: every requested method x dimension, with quality metrics, each written to its
 * coordinate table; embeddings whose inputs and options are unchanged since the last run are reused.
 */
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { embeddingQualities, embeddingQuality } from '../reduce/metrics/embedding-quality.js';
import { referenceLabelAccuracy } from '../reduce/metrics/reference-label-accuracy.js';
import { reduce, validateFeatures } from '../reduce/reduce.js';
import type { TsneAffinities } from '../reduce/tsne/shared-affinities.js';
import { tsneAffinities } from '../reduce/tsne/tsne.js';
import {
  embeddingFileName,
  type PointLabels,
  readEmbeddingCsv,
  writeEmbeddingCsv,
} from './embedding-table.js';
import { sha256, stableJson } from './fingerprint.js';
import type { ManifestEmbedding } from './manifest.js';
import { fitSampleEmbedding, fitSampleRows, SET_NAMES } from './placement-stage.js';
import { PAGE_NEIGHBORS } from './points.js';
import type { StageControl } from './progress.js';
import { FEATSCOPE_VERSION } from './version.js';

export type Method = 'tsne' | 'pca' | 'umap';

export interface ReduceStageOptions {
  methods: Method[];
  dims: (2 | 3)[];
  perplexity: number;
  /** t-SNE iterations including early exaggeration; null = the engine's default (750). */
  iterations: number | null;
  seed: number;
  threads: number | 'auto';
  /**
   * `--fit-sample M`: each map is fitted on a seeded sample of M points and the others are placed
   * into it (placement-stage.ts); null maps every point together.
   */
  fitSample: number | null;
}

export const REDUCE_DEFAULTS: Readonly<ReduceStageOptions> = Object.freeze({
  methods: ['tsne'] as Method[],
  dims: [2, 3] as (2 | 3)[],
  perplexity: 30,
  iterations: null,
  seed: 0,
  threads: 'auto' as const,
  fitSample: null,
});

export interface EmbeddingMetricsRecord {
  trustworthiness: number | null;
  knnPreservation: number | null;
  knnLabelAccuracy: number | null;
  klDivergence: number | null;
  neighbors: number;
  /**
   * Maps with placed points: the placed points' 10-NN label accuracy against the reference points
   * (each labelled by a vote of its 10 nearest reference points in the map).
   */
  placedLabelAccuracy?: number | null;
}

export interface EmbeddingOutput {
  method: Method;
  dims: 2 | 3;
  coords: Float32Array;
  seconds: number;
  resolved: Record<string, unknown>;
  warnings: string[];
  metrics: EmbeddingMetricsRecord;
  reused: boolean;
  cacheKey: string;
  file: string;
}

/** What an earlier run recorded, for reuse. */
export interface PreviousEmbedding {
  cacheKey: string;
  metrics: EmbeddingMetricsRecord;
  resolved: Record<string, unknown>;
  seconds: number;
}

/**
 * A map's cache key: the featscope version (an upgrade may compute a different map), the features'
 * hash and every option that changes the map.
 */
export function embeddingCacheKey(
  featuresHash: string,
  method: string,
  dims: number,
  options: Pick<ReduceStageOptions, 'perplexity' | 'iterations' | 'seed' | 'threads'> & {
    fitSample?: number | null;
  },
  version = FEATSCOPE_VERSION,
): string {
  return sha256(
    version,
    featuresHash,
    stableJson({
      method,
      dims,
      perplexity: options.perplexity,
      iterations: options.iterations,
      seed: options.seed,
      threads: options.threads,
      // Only when set, so that the keys of maps made before the option existed stay valid.
      ...(options.fitSample != null ? { fitSample: options.fitSample } : {}),
    }),
  );
}

/** What `computeEmbeddings` maps, where it writes, and what it may reuse. */
export interface EmbeddingsJob extends StageControl {
  /** Output folder of the map CSVs. */
  outDir: string;
  features: Matrix;
  /** sha256 of the features' bytes (part of each map's cache key). */
  featuresHash: string;
  /** Label columns of the map CSVs; null writes empty ones. */
  labels: PointLabels | null;
  options: ReduceStageOptions;
  /** Maps of the previous run into the same folder, by name (`tsne-2d`), reused when their key matches. */
  previous?: Map<string, PreviousEmbedding>;
  /**
   * Work the maps of these features share, kept across calls: pass the same object to every call for
   * one feature matrix (made here when absent, for this call's maps only).
   */
  shared?: SharedReduceWork;
  /**
   * Called after each map is computed (or reused) and its table written, before the quality metrics,
   * which are measured for all maps of the call together at the end (one pass over the features for
   * all of them: `embeddingQualities`); its `metrics` are null until then, but for klDivergence.
   */
  onMap?: (e: EmbeddingOutput) => Promise<void> | void;
}

/** What the maps of one feature matrix share: t-SNE's PCA, kNN graph and P (the same for 2D and 3D). */
export interface SharedReduceWork {
  tsne?: TsneAffinities;
}

/** Every map of `job.options` (methods x dims), reusing the previous run's where nothing changed. */
export async function computeEmbeddings(job: EmbeddingsJob): Promise<EmbeddingOutput[]> {
  const { outDir, featuresHash, labels, options, onProgress, signal } = job;
  const { data: features, rows: n, cols: d } = job.features;
  const previous = job.previous ?? new Map<string, PreviousEmbedding>();
  const shared = job.shared ?? {};
  const outputs: EmbeddingOutput[] = [];
  /** Outputs whose metrics are measured at the end, with whether the time counts in their seconds. */
  const toMeasure: { e: EmbeddingOutput; computed: boolean }[] = [];
  const fitSample = options.fitSample ?? null;
  const sets = fitSample !== null ? fitSampleSets(n, fitSample, options.seed) : null;
  const tableLabels = sets ? withSets(labels, n, sets) : labels;
  for (const method of options.methods) {
    for (const dims of options.dims) {
      if (signal?.aborted) throw new CancelledError();
      const name = `${method}-${dims}d`;
      const file = embeddingFileName(method, dims, 'csv');
      const cacheKey = embeddingCacheKey(featuresHash, method, dims, options);
      const prev = previous.get(name);
      if (prev && prev.cacheKey === cacheKey) {
        try {
          const { coords } = await readEmbeddingCsv(join(outDir, file), dims, file);
          if (coords.length === n * dims) {
            // The coordinates depend on the features only; the table's other columns (paths, labels,
            // predictions, domains) and the label accuracy follow this run's data, which may differ.
            await writeEmbeddingCsv(join(outDir, file), coords, dims, tableLabels, n);
            const e: EmbeddingOutput = {
              method,
              dims,
              coords,
              seconds: prev.seconds,
              resolved: prev.resolved,
              warnings: [],
              metrics: prev.metrics,
              reused: true,
              cacheKey,
              file,
            };
            outputs.push(e);
            // Labels may have changed (and a run stopped before its metrics left none): measure again.
            if (labels || prev.metrics.trustworthiness === null) {
              e.metrics = unmeasured(prev.metrics.klDivergence);
              if (sets && labels)
                e.metrics.placedLabelAccuracy = placedAccuracy(coords, dims, sets, labels.labelIds);
              toMeasure.push({ e, computed: false });
            }
            await job.onMap?.(e);
            continue;
          }
        } catch {
          // missing or unreadable: recompute
        }
      }
      const stage = `${method} ${dims}D`;
      const started = performance.now();
      onProgress?.({ stage, done: 0, total: 100, unit: '%' });
      // Computed by the first t-SNE map and given to the next; the map checks they match its options.
      // A --fit-sample map is fitted on a sample of the features, so it has no use for them.
      const computesAffinities = method === 'tsne' && fitSample === null && !shared.tsne;
      if (computesAffinities) {
        validateFeatures(features, n, d, 'the feature matrix'); // reduce's own message for bad features
        const { perplexity, seed, threads } = options;
        shared.tsne = await tsneAffinities(job.features, {
          perplexity,
          seed,
          threads,
          keepNeighbors: PAGE_NEIGHBORS, // the pages' neighbours (points.ts)
        });
        if (signal?.aborted) throw new CancelledError();
      }
      const onFraction = (fraction: number) =>
        onProgress?.({ stage, done: Math.min(99, Math.floor(fraction * 100)), total: 100, unit: '%' });
      const r =
        fitSample !== null
          ? await fitSampleEmbedding(
              job.features,
              method,
              dims,
              { ...options, fitSample },
              { signal, onFraction },
            )
          : await reduce(
              { data: features, rows: n, cols: d },
              {
                method,
                dims,
                perplexity: options.perplexity,
                seed: options.seed,
                iterations: options.iterations ?? undefined,
                threads: options.threads,
                tsneAffinities: method === 'tsne' ? shared.tsne : undefined,
                onProgress: onFraction,
                signal,
              },
            );
      const embedding = 'coords' in r ? r.coords : r.embedding;
      const kl = 'klDivergence' in r ? (r.klDivergence ?? null) : null;
      onProgress?.({ stage, done: 100, total: 100, unit: '%' });
      const metrics = unmeasured(kl);
      if (sets && labels)
        metrics.placedLabelAccuracy = placedAccuracy(embedding, dims, sets, labels.labelIds);
      await writeEmbeddingCsv(join(outDir, file), embedding, dims, tableLabels, n);
      // Seconds include the coordinate table and a share of the quality metrics (added below), so
      // run.json's stages add up.
      const seconds = (performance.now() - started) / 1000;
      const e: EmbeddingOutput = {
        method,
        dims,
        coords: embedding,
        seconds,
        // This map's seconds include the shared affinities it computed: say so in run.json.
        resolved: computesAffinities ? { ...r.resolved, affinities: 'computed' } : r.resolved,
        warnings: r.warnings,
        metrics,
        reused: false,
        cacheKey,
        file,
      };
      outputs.push(e);
      toMeasure.push({ e, computed: true });
      await job.onMap?.(e);
    }
  }
  if (toMeasure.length > 0) {
    if (signal?.aborted) throw new CancelledError();
    const started = performance.now();
    const maps = toMeasure.map(({ e }) => ({ embedding: e.coords, dims: e.dims }));
    const qs = embeddingQualities(features, n, d, maps, labels ? labels.labelIds : null);
    toMeasure.forEach(({ e }, i) => {
      e.metrics = {
        trustworthiness: qs[i].trustworthiness10 ?? null,
        knnPreservation: qs[i].knnPreservation10 ?? null,
        knnLabelAccuracy: qs[i].knnLabelAccuracy10 ?? null,
        klDivergence: e.metrics.klDivergence,
        neighbors: 10,
        ...(e.metrics.placedLabelAccuracy !== undefined
          ? { placedLabelAccuracy: e.metrics.placedLabelAccuracy }
          : {}),
      };
    });
    // The one pass's time, shared out over the maps computed in this call.
    const computed = toMeasure.filter((m) => m.computed);
    const share = (performance.now() - started) / 1000 / Math.max(1, computed.length);
    for (const { e } of computed) e.seconds += share;
  }
  return outputs;
}

/** Metrics not measured yet: null, but for the KL divergence the map came with. */
function unmeasured(klDivergence: number | null): EmbeddingMetricsRecord {
  return {
    trustworthiness: null,
    knnPreservation: null,
    knnLabelAccuracy: null,
    klDivergence,
    neighbors: 10,
  };
}

/** Trustworthiness, kNN preservation and (with labels) 10-NN label accuracy of a map. */
export function measureEmbedding(
  features: Float32Array,
  n: number,
  d: number,
  coords: Float32Array,
  dims: number,
  labels: PointLabels | null,
  klDivergence: number | null,
): EmbeddingMetricsRecord {
  const q = embeddingQuality(features, n, d, coords, dims, labels ? labels.labelIds : null);
  return {
    trustworthiness: q.trustworthiness10 ?? null,
    knnPreservation: q.knnPreservation10 ?? null,
    knnLabelAccuracy: q.knnLabelAccuracy10 ?? null,
    klDivergence,
    neighbors: 10,
  };
}

/** Which points `--fit-sample` places (1) and which make the map (0): the same for every map. */
export function fitSampleSets(n: number, m: number, seed: number): { names: string[]; ids: Int32Array } {
  const ids = new Int32Array(n).fill(1);
  for (const i of fitSampleRows(n, m, seed)) ids[i] = 0;
  return { names: [...SET_NAMES], ids };
}

/** The table columns with the `set` column (empty label columns when there are no labels). */
function withSets(labels: PointLabels | null, n: number, sets: PointLabels['sets']): PointLabels {
  return {
    ...(labels ?? {
      paths: new Array<string>(n).fill(''),
      classes: [],
      labelIds: new Int32Array(n).fill(-1),
      predIds: null,
      predConf: null,
    }),
    sets,
  };
}

/** The placed points' label accuracy against the fitted ones, in a map whose rows are mixed. */
function placedAccuracy(
  coords: Float32Array,
  dims: number,
  sets: { ids: Int32Array },
  labelIds: Int32Array,
): number | null {
  const refRows: number[] = [];
  const newRows: number[] = [];
  sets.ids.forEach((s, i) => (s === 0 ? refRows : newRows).push(i));
  const gather = (list: number[]) => {
    const out = new Float32Array(list.length * dims);
    list.forEach((i, r) => out.set(coords.subarray(i * dims, (i + 1) * dims), r * dims));
    return out;
  };
  const order = [...refRows, ...newRows];
  const acc = referenceLabelAccuracy(
    gather(refRows),
    refRows.length,
    gather(newRows),
    newRows.length,
    dims,
    Int32Array.from(order, (i) => labelIds[i]),
  );
  return Number.isNaN(acc) ? null : acc;
}

/** The run.json record of an embedding (what a later run needs to reuse it). */
export function toManifestEmbedding(e: EmbeddingOutput): ManifestEmbedding {
  return {
    name: `${e.method}-${e.dims}d`,
    method: e.method,
    dims: e.dims,
    file: e.file,
    cacheKey: e.cacheKey,
    seconds: e.seconds,
    metrics: { ...e.metrics },
    resolved: e.resolved,
  };
}
