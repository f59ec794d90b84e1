/**
 * The reduce stage: every requested method x dimension, with quality metrics, each written to its
 * coordinate table; embeddings whose inputs and options are unchanged since the last run are reused.
 */
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { embeddingQuality } from '../reduce/metrics/embedding-quality.js';
import { reduce } from '../reduce/reduce.js';
import {
  embeddingFileName,
  type PointLabels,
  readEmbeddingCsv,
  writeEmbeddingCsv,
} from './embedding-table.js';
import { sha256, stableJson } from './fingerprint.js';
import type { ManifestEmbedding } from './manifest.js';
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
}

export const REDUCE_DEFAULTS: Readonly<ReduceStageOptions> = Object.freeze({
  methods: ['tsne'] as Method[],
  dims: [2, 3] as (2 | 3)[],
  perplexity: 30,
  iterations: null,
  seed: 0,
  threads: 'auto' as const,
});

export interface EmbeddingMetricsRecord {
  trustworthiness: number | null;
  knnPreservation: number | null;
  knnLabelAccuracy: number | null;
  klDivergence: number | null;
  neighbors: number;
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
  options: Pick<ReduceStageOptions, 'perplexity' | 'iterations' | 'seed' | 'threads'>,
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
            await writeEmbeddingCsv(join(outDir, file), coords, dims, labels, n);
            outputs.push({
              method,
              dims,
              coords,
              seconds: prev.seconds,
              resolved: prev.resolved,
              warnings: [],
              metrics: labels
                ? measure(features, n, d, coords, dims, labels, prev.metrics.klDivergence)
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
      const r = await reduce(
        { data: features, rows: n, cols: d },
        {
          method,
          dims,
          perplexity: options.perplexity,
          seed: options.seed,
          iterations: options.iterations ?? undefined,
          threads: options.threads,
          onProgress: (fraction) =>
            onProgress?.({ stage, done: Math.min(99, Math.floor(fraction * 100)), total: 100, unit: '%' }),
          signal,
        },
      );
      onProgress?.({ stage, done: 100, total: 100, unit: '%' });
      const metrics = measure(features, n, d, r.embedding, dims, labels, r.klDivergence ?? null);
      await writeEmbeddingCsv(join(outDir, file), r.embedding, dims, labels, n);
      // Seconds include the quality metrics and the coordinate table, so run.json's stages add up.
      const seconds = (performance.now() - started) / 1000;
      outputs.push({
        method,
        dims,
        coords: r.embedding,
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

function measure(
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
