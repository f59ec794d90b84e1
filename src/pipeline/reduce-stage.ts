/**
 * The reduce stage: every requested method x dimension, with quality metrics, each written to its
 * coordinate table; embeddings whose inputs and options are unchanged since the last run are reused.
 */
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { embeddingQuality } from '../reduce/metrics/embedding-quality.js';
import { referenceLabelAccuracy } from '../reduce/metrics/reference-label-accuracy.js';
import { reduce } from '../reduce/reduce.js';
import {
  embeddingFileName,
  type PointLabels,
  readEmbeddingCsv,
  writeEmbeddingCsv,
} from './embedding-table.js';
import { sha256, stableJson } from './fingerprint.js';
import type { ManifestEmbedding } from './manifest.js';
import { fitSampleEmbedding, fitSampleRows, SET_NAMES } from './placement-stage.js';
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
}

/** Every map of `job.options` (methods x dims), reusing the previous run's where nothing changed. */
export async function computeEmbeddings(job: EmbeddingsJob): Promise<EmbeddingOutput[]> {
  const { outDir, featuresHash, labels, options, onProgress, signal } = job;
  const { data: features, rows: n, cols: d } = job.features;
  const previous = job.previous ?? new Map<string, PreviousEmbedding>();
  const outputs: EmbeddingOutput[] = [];
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
            outputs.push({
              method,
              dims,
              coords,
              seconds: prev.seconds,
              resolved: prev.resolved,
              warnings: [],
              metrics: labels
                ? measureEmbedding(features, n, d, coords, dims, labels, prev.metrics.klDivergence)
                : prev.metrics,
              reused: true,
              cacheKey,
              file,
            });
            continue;
          }
        } catch {
          // missing or unreadable: recompute
        }
      }
      const stage = `${method} ${dims}D`;
      const started = performance.now();
      onProgress?.({ stage, done: 0, total: 100, unit: '%' });
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
                onProgress: onFraction,
                signal,
              },
            );
      const embedding = 'coords' in r ? r.coords : r.embedding;
      const kl = 'klDivergence' in r ? (r.klDivergence ?? null) : null;
      onProgress?.({ stage, done: 100, total: 100, unit: '%' });
      const metrics = measureEmbedding(features, n, d, embedding, dims, labels, kl);
      if (sets && labels)
        metrics.placedLabelAccuracy = placedAccuracy(embedding, dims, sets, labels.labelIds);
      await writeEmbeddingCsv(join(outDir, file), embedding, dims, tableLabels, n);
      // Seconds include the quality metrics and the coordinate table, so run.json's stages add up.
      const seconds = (performance.now() - started) / 1000;
      outputs.push({
        method,
        dims,
        coords: embedding,
        seconds,
        resolved: r.resolved,
        warnings: r.warnings,
        metrics,
        reused: false,
        cacheKey,
        file,
      });
    }
  }
  return outputs;
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
