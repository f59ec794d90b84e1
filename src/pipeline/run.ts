/**
 * `featscope run`: scan -> one inference pass (predictions + features) -> embeddings -> figures, pages,
 * report, run.json. Each finished stage is recorded in run.json with a cache key, so a re-run (or a run
 * resumed after Ctrl-C) reuses what is still valid: the same model, images and preprocessing skip
 * inference; changing only reduction or plot options redoes only those stages.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeData, toDataSpecs } from '../dataset/domains.js';
import { decodeNpyMatrix } from '../io/npy.js';
import { computeClassificationSummary, computeDomainSummary } from '../render/index.js';
import { type ClassifyOptions, classify } from './classify.js';
import { classifyCacheKey, loadClassifyInputs } from './classify-inputs.js';
import { classifyManifestPart } from './classify-manifest.js';
import { FEATURES_FILE, PREDICTIONS_FILE, writeClassifyOutputs } from './classify-outputs.js';
import { sha256 } from './fingerprint.js';
import { sourcesFromItems } from './image-sources.js';
import { type RunManifest, readManifest, writeManifest } from './manifest.js';
import { prepareOutputDir } from './output-dir.js';
import { buildPointSet, pageNeighbors, thumbnailsFor, tsneGraph } from './points.js';
import { type Predictions, readPredictionsCsv } from './predictions-table.js';
import type { StageControl } from './progress.js';
import {
  computeEmbeddings,
  type EmbeddingOutput,
  type PreviousEmbedding,
  type ReduceStageOptions,
  type SharedReduceWork,
  toManifestEmbedding,
} from './reduce-stage.js';
import { type PlotOptions, renderOutputs, resolveColorBy, resolvePageColorBy } from './render-stage.js';
import { FEATSCOPE_VERSION } from './version.js';

export interface RunOptions extends StageControl {
  /** The classify stage's options (its own onProgress and signal are not used: the run's are). */
  classify: ClassifyOptions;
  out: string;
  reduce: ReduceStageOptions;
  plot: PlotOptions;
  /** Ignore cached stages. */
  force: boolean;
}

export interface RunResult {
  manifest: RunManifest;
  reportPath: string;
  warnings: string[];
  skipped: { path: string; reason: string }[];
}

interface ClassifyData extends Predictions {
  features: Float32Array;
  featureDim: number;
}

export async function runPipeline(o: RunOptions): Promise<RunResult> {
  const { onProgress, signal } = o;
  // Refuse --color-by domain without domains before any work (usage error).
  resolveColorBy(o.plot.colorBy, toDataSpecs(o.classify.data).length);
  await prepareOutputDir(o.out);
  const previous = o.force ? null : await readManifest(o.out);
  const stages: Record<string, number> = {};
  const reused: Record<string, string> = {};
  const warnings: string[] = [];
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    stages[name] = (stages[name] ?? 0) + (now - t) / 1000;
    t = now;
  };

  // Stage 1: classify, unless the model, images and preprocessing are unchanged.
  // The model, class index and data listing are read once: for the key, and for inference if needed.
  const inputs = await loadClassifyInputs(o.classify);
  const classifyKey = await classifyCacheKey(o.classify, inputs);
  let manifest: RunManifest;
  let data: ClassifyData;
  const cached = previous?.classifyKey === classifyKey ? await readClassifyOutputs(o.out) : null;
  if (cached && previous) {
    data = cached;
    reused.classify =
      'same model (sha256), images (path, size, mtime), preprocessing and layer as the previous run';
    manifest = {
      ...previous,
      command: 'run',
      createdAt: new Date().toISOString(),
      stages,
      reused,
      warnings: previous.warnings,
      embeddings: [],
    };
    lap('classify (reused)');
  } else {
    const r = await classify({ ...o.classify, onProgress, signal }, inputs);
    await writeClassifyOutputs(o.out, r);
    data = r;
    warnings.push(...r.warnings);
    lap('classify');
    manifest = {
      featscope: FEATSCOPE_VERSION,
      command: 'run',
      createdAt: new Date().toISOString(),
      ...classifyManifestPart(o.classify, r),
      stages,
      reused,
      classifyKey,
      embeddings: [],
      outputs: [PREDICTIONS_FILE, FEATURES_FILE],
    };
    await writeManifest(o.out, manifest); // a resumed run starts after inference
  }
  manifest.options = { ...manifest.options, reduce: o.reduce, plot: o.plot };
  const n = data.paths.length;

  // Stage 2: embeddings.
  const featuresHash = sha256(
    new Uint8Array(data.features.buffer, data.features.byteOffset, data.features.byteLength),
  );
  const prevEmbeddings = new Map<string, PreviousEmbedding>(
    (previous?.embeddings ?? []).map((e) => [
      e.name,
      { cacheKey: e.cacheKey, metrics: e.metrics as never, resolved: e.resolved, seconds: e.seconds },
    ]),
  );
  const predIds = Int32Array.from({ length: n }, (_, i) => data.topIds[i * data.k]);
  const predConf = Float32Array.from({ length: n }, (_, i) => data.topConf[i * data.k]);
  const labels = {
    paths: data.paths,
    classes: data.classes,
    labelIds: data.labelIds,
    predIds,
    predConf,
    ...(data.domains ? { domains: data.domains } : {}),
  };
  // Maps one at a time: each recorded in run.json as soon as its table is written (a resumed run
  // keeps it); t-SNE's PCA, kNN graph and P are computed by the first t-SNE map and used by the next
  // and by the pages; the quality metrics of all maps are measured together at the end.
  const shared: SharedReduceWork = {};
  const done: EmbeddingOutput[] = [];
  const recordMaps = async (maps: EmbeddingOutput[]) => {
    for (const e of maps) stages[`${e.method} ${e.dims}D`] = e.seconds;
    t = performance.now();
    manifest.embeddings = maps.map(toManifestEmbedding);
    await writeManifest(o.out, manifest);
  };
  const embeddings = await computeEmbeddings({
    outDir: o.out,
    features: { data: data.features, rows: n, cols: data.featureDim },
    featuresHash,
    labels,
    options: o.reduce,
    previous: prevEmbeddings,
    shared,
    onProgress,
    signal,
    onMap: async (e) => {
      done.push(e);
      warnings.push(...e.warnings);
      if (e.reused)
        reused[`${e.method}-${e.dims}d`] = 'same features and reduction options as the previous run';
      await recordMaps(done);
    },
  });
  await recordMaps(embeddings); // with their metrics, and each map's share of their time

  // Stage 3: neighbours and thumbnails for the pages, then figures, pages and report.
  const found = await pageNeighbors(data.features, n, data.featureDim, {
    threads: o.reduce.threads,
    seed: o.reduce.seed,
    graph: tsneGraph(shared.tsne),
  });
  shared.tsne = undefined; // P and the graph are garbage from here
  const neighbors = found && { k: found.k, indices: found.indices };
  if (found) manifest.pageNeighbors = found.resolved;
  lap('neighbours');
  const thumbnails = o.plot.thumbnails
    ? await thumbnailsFor(
        // The listing read for the cache key names every row's file or pixels: no second scan.
        sourcesFromItems(inputs.data.items, data.paths, data.domains?.ids),
        onProgress,
        signal,
      )
    : undefined;
  if (thumbnails) lap('thumbnails');
  const points = buildPointSet(data, neighbors, thumbnails);
  const summary = computeClassificationSummary(points);
  const summaryByDomain = computeDomainSummary(points);
  const files = await renderOutputs(
    o.out,
    points,
    embeddings,
    {
      createdAt: manifest.createdAt,
      model: {
        path: o.classify.model,
        sha256: manifest.model?.sha256,
        layer: manifest.model?.layerModulePath ?? manifest.model?.layer,
        featureDims: data.featureDim,
      },
      dataRoot: describeData(o.classify.data),
      summary,
      options: manifest.options,
      stageSeconds: stages,
      skipped: manifest.data?.skipped ?? [],
      files: [
        {
          href: PREDICTIONS_FILE,
          description: 'predictions: top-k and every class confidence per image (CSV)',
        },
        { href: FEATURES_FILE, description: `features [${n}, ${data.featureDim}] float32 (NumPy .npy)` },
      ],
    },
    o.plot,
    onProgress,
    warnings,
  );
  lap('render');
  manifest.options.plot = {
    ...o.plot,
    resolvedColorBy: resolvePageColorBy(o.plot, points),
  };
  manifest.metrics = {
    ...manifest.metrics,
    accuracy: summary.accuracy,
    topKAccuracy: summary.topKAccuracy,
    k: summary.k,
    ...(summaryByDomain ? { perDomainAccuracy: summaryByDomain } : {}),
    perClassAccuracy: Object.fromEntries(
      points.classes.map((c, i) => [c, summary.perClass[i]?.accuracy ?? null]),
    ),
    embeddings: Object.fromEntries(embeddings.map((e) => [`${e.method}-${e.dims}d`, e.metrics])),
  };
  manifest.outputs = [
    PREDICTIONS_FILE,
    FEATURES_FILE,
    ...embeddings.map((e) => e.file),
    ...files,
    'run.json',
  ];
  manifest.warnings = [...new Set([...(manifest.warnings ?? []), ...warnings])];
  await writeManifest(o.out, manifest);
  return {
    manifest,
    reportPath: join(o.out, 'index.html'),
    warnings: [...new Set(warnings)],
    skipped: manifest.data?.skipped ?? [],
  };
}

async function readClassifyOutputs(dir: string): Promise<ClassifyData | null> {
  try {
    // The later stages use the top-k columns only: the N x C probabilities stay on disk.
    const preds = await readPredictionsCsv(join(dir, PREDICTIONS_FILE), {
      source: PREDICTIONS_FILE,
      probs: false,
    });
    const f = decodeNpyMatrix(await readFile(join(dir, FEATURES_FILE)), FEATURES_FILE);
    if (f.rows !== preds.paths.length) return null;
    return { ...preds, features: f.data, featureDim: f.cols };
  } catch {
    return null;
  }
}
