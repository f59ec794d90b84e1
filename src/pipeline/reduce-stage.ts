/**
 * The reduce stage: every requested method x dimension, with quality metrics, each written to its
 * coordinate table; embeddings whose inputs and options are unchanged since the last run are reused.
 */
import { join } from 'node:path';
import { CancelledError } from '../errors.js';
import { embeddingQuality, reduceEmbedding } from '../reduce/index.js';
import {
  embeddingFileName,
  type PointLabels,
  readEmbeddingCsv,
  writeEmbeddingCsv,
} from './embedding-table.js';
import { sha256, stableJson } from './fingerprint.js';
import type { ManifestEmbedding } from './manifest.js';
import type { ProgressListener } from './progress.js';

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

export async function computeEmbeddings(
  outDir: string,
  features: Float32Array,
  n: number,
  d: number,
  featuresHash: string,
  labels: PointLabels | null,
  options: ReduceStageOptions,
  previous: Map<string, PreviousEmbedding>,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<EmbeddingOutput[]> {
  const outputs: EmbeddingOutput[] = [];
  for (const method of options.methods) {
    for (const dims of options.dims) {
      if (signal?.aborted) throw new CancelledError();
      const name = `${method}-${dims}d`;
      const file = embeddingFileName(method, dims, 'csv');
      const cacheKey = sha256(
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
      const r = await reduceEmbedding(
        method,
        features,
        n,
        d,
        {
          dims,
          perplexity: options.perplexity,
          seed: options.seed,
          iterations: options.iterations ?? undefined,
          threads: options.threads,
        },
        (fraction) =>
          onProgress?.({ stage, done: Math.min(99, Math.floor(fraction * 100)), total: 100, unit: '%' }),
        signal,
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
