/**
 * `featscope run`: scan -> one inference pass (predictions + features) -> embeddings -> figures, pages,
 * report, run.json. Each finished stage is recorded in run.json with a cache key, so a re-run (or a run
 * resumed after Ctrl-C) reuses what is still valid: the same model, images and preprocessing skip
 * inference; changing only reduction or plot options redoes only those stages.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeData, toDataSpecs } from '../dataset/domains.js';
import { UserError } from '../errors.js';
import { decodeNpyMatrix } from '../io/npy.js';
import { computeClassificationSummary, computeDomainSummary } from '../render/index.js';
import type { PointSet } from '../render/types.js';
import { type ClassifyOptions, classify } from './classify.js';
import { classifyCacheKey, loadClassifyInputs } from './classify-inputs.js';
import { classifyManifestPart } from './classify-manifest.js';
import { FEATURES_FILE, PREDICTIONS_FILE, writeClassifyOutputs } from './classify-outputs.js';
import { sha256 } from './fingerprint.js';
import { sourcesFromItems } from './image-sources.js';
import { type RunManifest, readManifest, writeManifest } from './manifest.js';
import { joinMetadata, loadPlotMetadata } from './metadata-file.js';
import { prepareOutputDir } from './output-dir.js';
import { type PlacedRun, placeIntoRun } from './place-into-run.js';
import { checkFitSample, placementRecord } from './placement-stage.js';
import { buildPointSet, pageNeighbors, thumbnailsFor, tsneGraph } from './points.js';
import { type Predictions, readPredictionsCsv } from './predictions-table.js';
import type { StageControl } from './progress.js';
import {
  computeEmbeddings,
  type EmbeddingOutput,
  fitSampleSets,
  type Method,
  type PreviousEmbedding,
  type ReduceStageOptions,
  type SharedReduceWork,
  toManifestEmbedding,
} from './reduce-stage.js';
import { loadReferenceRun, type ReferenceRun } from './reference-run.js';
import {
  type PlotOptions,
  renderOutputs,
  resolveColorBy,
  resolvePageColorBy,
  resolvePageThumbnails,
} from './render-stage.js';
import { FEATSCOPE_VERSION } from './version.js';

export interface RunOptions extends StageControl {
  /** The classify stage's options (its own onProgress and signal are not used: the run's are). */
  classify: ClassifyOptions;
  out: string;
  reduce: ReduceStageOptions;
  plot: PlotOptions;
  /** Ignore cached stages. */
  force: boolean;
  /**
   * `--reference REF_OUT`: place this run's images into REF_OUT's maps instead of mapping them on
   * their own; `methods` / `dims` when given on the command line (null: every map that can take points).
   */
  reference?: { dir: string; methods: Method[] | null; dims: (2 | 3)[] | null } | null;
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
  if (o.classify.shard) {
    throw new UserError(
      'run makes the maps of the whole test set, not of a part: classify each part with classifyPart (featscope classify --shard i/N), merge them, then run without shard.',
      2,
    );
  }
  // Refuse --color-by domain without domains before any work (usage error).
  const placed = Boolean(o.reference) || o.reduce.fitSample != null;
  resolveColorBy(o.plot.colorBy, toDataSpecs(o.classify.data).length, placed);
  if (o.reference && o.reduce.fitSample != null) {
    throw new UserError(
      '--reference and --fit-sample cannot be combined: --reference places every new point into an existing map, --fit-sample makes the map from a sample of the points given.',
      2,
    );
  }
  const reference = o.reference ? await loadReferenceRun(o.reference.dir, signal) : null;
  const metadataTable = await loadPlotMetadata(o.plot, signal);
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
  // --fit-sample against the images found, before inference (checked again below: skipped images
  // can only lower the count).
  checkFitSample(o.reduce.fitSample, inputs.data.items.length, o.reduce.methods);
  if (reference) checkSameModel(reference, inputs.model.sha256, o.classify.model);
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
  checkFitSample(o.reduce.fitSample, n, o.reduce.methods);
  if (reference) checkSameLayer(reference, manifest);
  // Joined now, before the maps, so paths that match nothing stop the run early.
  const metadata = metadataTable ? joinMetadata(metadataTable, data.paths) : null;
  if (metadata?.warning) warnings.push(metadata.warning);

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
  let embeddings: EmbeddingOutput[] = [];
  let placedRun: PlacedRun | null = null;
  delete manifest.placement; // an earlier run into this folder may have placed points
  if (reference && o.reference) {
    placedRun = await placeIntoRun({
      outDir: o.out,
      reference,
      source: `The features of this run (${FEATURES_FILE})`,
      features: { data: data.features, rows: n, cols: data.featureDim },
      featuresHash,
      points: buildPointSet(data),
      sources: sourcesFromItems(inputs.data.items, data.paths, data.domains?.ids),
      methods: o.reference.methods,
      dims: o.reference.dims,
      thumbnails: o.plot.thumbnails,
      onProgress,
      signal,
    });
    embeddings = placedRun.embeddings;
    warnings.push(...placedRun.warnings);
    lap('place');
    manifest.placement = placementRecord(reference, reference.points.n, n, null);
  }
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
  if (!placedRun) {
    embeddings = await computeEmbeddings({
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
  }
  // Stage 3: neighbours and thumbnails for the pages (placed: done with the placement), then
  // figures, pages and report.
  let points: PointSet;
  if (placedRun) points = placedRun.points;
  else {
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
    points = buildPointSet(data, neighbors, thumbnails);
    if (o.reduce.fitSample != null) {
      points.sets = fitSampleSets(n, o.reduce.fitSample, o.reduce.seed);
      manifest.placement = placementRecord(
        null,
        o.reduce.fitSample,
        n - o.reduce.fitSample,
        o.reduce.fitSample,
      );
    }
  }
  // Accuracy is this run's (the reference points of a placed map have their own run).
  const own = placedRun ? buildPointSet(data) : points;
  const summary = computeClassificationSummary(own);
  const summaryByDomain = computeDomainSummary(own);
  if (metadataTable) {
    // A placed map lists the reference points too: join on its own paths.
    points.metadata = placedRun ? joinMetadata(metadataTable, points.paths).metadata : metadata?.metadata;
  }
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
    resolvedThumbnails: resolvePageThumbnails(o.plot, points),
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

/** The reference map must come from the same model as this run's features (same sha256). */
function checkSameModel(ref: ReferenceRun, sha: string, model: string): void {
  const m = ref.manifest?.model;
  if (m?.sha256 && m.sha256 !== sha) {
    throw new UserError(
      `--reference ${ref.dir} was made with the model ${m.path} (sha256 ${m.sha256.slice(0, 12)}...), not with ${model} (sha256 ${sha.slice(0, 12)}...): ` +
        "features of different models do not live in the same space, so new points cannot be placed into that map. Use the reference run's model, or make a new map.",
    );
  }
}

/** ... and from the same layer. */
function checkSameLayer(ref: ReferenceRun, manifest: RunManifest): void {
  const a = ref.manifest?.model?.layer;
  const b = manifest.model?.layer;
  if (a && b && a !== b) {
    throw new UserError(
      `--reference ${ref.dir} maps the features of layer ${a}, but this run took layer ${b}: pass --layer ${a} to place into that map.`,
    );
  }
}
