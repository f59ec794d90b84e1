import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadClassIndex } from '../../dataset/class-index.js';
import { UserError } from '../../errors.js';
import { decodeNpyMatrix } from '../../io/npy.js';
import type { PointLabels } from '../../pipeline/embedding-table.js';
import { sha256 } from '../../pipeline/fingerprint.js';
import { fileSources, type ImageSource, recordedImageSources } from '../../pipeline/image-sources.js';
import { type LabelsFile, readLabelsFile } from '../../pipeline/labels-file.js';
import { readManifest, writeManifest } from '../../pipeline/manifest.js';
import { prepareOutputDir } from '../../pipeline/output-dir.js';
import { type PathsFile, readPathsFile } from '../../pipeline/paths-file.js';
import { placeIntoRun } from '../../pipeline/place-into-run.js';
import { checkFitSample, placementRecord } from '../../pipeline/placement-stage.js';
import { missingThumbnailsWarning, pageNeighbors, thumbnailsFor, tsneGraph } from '../../pipeline/points.js';
import {
  computeEmbeddings,
  type EmbeddingOutput,
  fitSampleSets,
  type SharedReduceWork,
  toManifestEmbedding,
} from '../../pipeline/reduce-stage.js';
import { loadReferenceRun } from '../../pipeline/reference-run.js';
import { renderOutputs, resolveColorBy } from '../../pipeline/render-stage.js';
import { FEATSCOPE_VERSION } from '../../pipeline/version.js';
import { validateFeatures } from '../../reduce/reduce.js';
import { computeClassificationSummary } from '../../render/index.js';
import type { PointSet } from '../../render/types.js';
import type { ParsedValues } from '../parse.js';
import { plotOptionsFrom, reduceOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';

/**
 * `featscope reduce`: maps of any feature matrix, then the figure, the pages and the report. Labels
 * come from `--labels` (a predictions table, a `.npy` of ids, or one label per line), images for the
 * thumbnails from `--paths`. Every input is read and checked before anything is written.
 */
export async function reduceCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const file = v.features as string;
  const out = v.out as string;
  const options = reduceOptionsFrom(v);
  const plot = plotOptionsFrom(v);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UserError(
      `Cannot read the features file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
    );
  }
  const m = decodeNpyMatrix(bytes, file);
  // Fails early with the file name in the message; the per-method warnings come from reduce().
  validateFeatures(m.data, m.rows, m.cols, file);
  if (typeof v.classes === 'string' && typeof v.labels !== 'string') {
    throw new UserError('--classes names the class ids of --labels; pass --labels too.', 2);
  }
  const classIndex = typeof v.classes === 'string' ? await loadClassIndex(v.classes) : null;
  const labels =
    typeof v.labels === 'string'
      ? await readLabelsFile(v.labels, m.rows, file, classIndex, ctx.signal)
      : null;
  const pathsFile = typeof v.paths === 'string' ? await readPathsFile(v.paths, m.rows, file) : null;
  const images: Images | null = pathsFile
    ? { ...pathsFile, sources: fileSources(pathsFile.root, pathsFile.paths) }
    : labels?.predictions
      ? await predictionsImages(v.labels as string, labels)
      : null;
  const warnings: string[] = [...(labels?.warnings ?? [])];
  let points = pointSet(m.rows, labels, images);
  const reference = typeof v.reference === 'string' ? await loadReferenceRun(v.reference, ctx.signal) : null;
  if (reference && options.fitSample !== null) {
    throw new UserError(
      '--reference and --fit-sample cannot be combined: --reference places every new point into an existing map, --fit-sample makes the map from a sample of the points given.',
      2,
    );
  }
  checkFitSample(options.fitSample, m.rows, options.methods);
  // --color-by set without placed points is a usage error, before any work.
  if (plot.colorBy === 'set') resolveColorBy('set', 0, reference !== null || options.fitSample !== null);

  await prepareOutputDir(out);
  const hash = sha256(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  let embeddings: EmbeddingOutput[];
  let started = performance.now();
  let found: Awaited<ReturnType<typeof pageNeighbors>>;
  if (reference) {
    const placed = await placeIntoRun({
      outDir: out,
      reference,
      source: file,
      features: m,
      featuresHash: hash,
      points,
      sources: images?.sources ?? null,
      methods: v.method === undefined ? null : options.methods,
      dims: v.dims === undefined ? null : options.dims,
      thumbnails: plot.thumbnails,
      onProgress: ctx.progress,
      signal: ctx.signal,
    });
    ({ points, embeddings } = placed);
    warnings.push(...placed.warnings);
  } else {
    const shared: SharedReduceWork = {};
    embeddings = await computeEmbeddings({
      shared,
      outDir: out,
      features: m,
      featuresHash: hash,
      labels: labels || images ? mapLabels(points, labels?.predictions?.domains) : null,
      options,
      onProgress: ctx.progress,
      signal: ctx.signal,
    });
    for (const e of embeddings) warnings.push(...e.warnings);
    started = performance.now();
    if (options.fitSample !== null) points.sets = fitSampleSets(m.rows, options.fitSample, options.seed);
    found = await pageNeighbors(m.data, m.rows, m.cols, {
      threads: options.threads,
      seed: options.seed,
      graph: tsneGraph(shared.tsne),
    });
    shared.tsne = undefined;
    points.neighbors = found && { k: found.k, indices: found.indices };
    if (images && plot.thumbnails) {
      points.thumbnails = await thumbnailsFor(images.sources, ctx.progress, ctx.signal);
      const missing = missingThumbnailsWarning(images.paths, points.thumbnails, images.root);
      if (missing) warnings.push(missing);
    }
  }
  const stages = Object.fromEntries(embeddings.map((e) => [`${e.method} ${e.dims}D`, e.seconds]));
  const createdAt = new Date().toISOString();
  const manifestOptions = {
    reduce: options,
    plot,
    labels: v.labels ?? null,
    labelsForm: labels?.form ?? null,
    classes: v.classes ?? null,
    paths: v.paths ?? null,
    featuresDtype: m.dtype,
  };
  const placement =
    reference || options.fitSample !== null
      ? placementRecord(
          reference,
          reference ? reference.points.n : options.fitSample!,
          reference ? m.rows : m.rows - options.fitSample!,
          options.fitSample,
        )
      : null;
  const files = await renderOutputs(
    out,
    points,
    embeddings,
    {
      createdAt,
      model: { path: '', featureDims: m.cols },
      dataRoot: images?.root ?? null,
      summary: points.k > 0 ? computeClassificationSummary(points) : null,
      options: { features: file, ...manifestOptions },
      stageSeconds: stages,
      skipped: [],
      files: [],
    },
    plot,
    ctx.progress,
  );
  stages.render = (performance.now() - started) / 1000;
  await writeManifest(out, {
    featscope: FEATSCOPE_VERSION,
    command: 'reduce',
    createdAt,
    features: { file, n: m.rows, dim: m.cols },
    // What `featscope plot` needs to draw the folder again: classes in index order, the image root.
    data: { root: images?.root ?? '', n: points.n, classes: points.classes, skipped: [] },
    ...(placement ? { placement } : {}),
    options: manifestOptions,
    stages,
    metrics: { embeddings: Object.fromEntries(embeddings.map((e) => [`${e.method}-${e.dims}d`, e.metrics])) },
    embeddings: embeddings.map(toManifestEmbedding),
    ...(found ? { pageNeighbors: found.resolved } : {}),
    warnings: [...new Set(warnings)],
    outputs: [...embeddings.map((e) => e.file), ...files, 'run.json'],
  });
  ctx.report([...new Set(warnings)]);
  for (const e of embeddings) {
    const q = e.metrics;
    ctx.log(
      `${e.file}: ${points.n} points in ${e.seconds.toFixed(1)} s, trustworthiness@10 ${q.trustworthiness?.toFixed(4) ?? '-'}` +
        `${q.knnLabelAccuracy != null ? `, 10-NN label accuracy ${q.knnLabelAccuracy.toFixed(4)}` : ''}` +
        `${q.placedLabelAccuracy != null ? `, placed points' 10-NN label accuracy ${q.placedLabelAccuracy.toFixed(4)}` : ''}`,
    );
  }
  ctx.log(`wrote the maps, figures and pages to ${out}; report: ${join(out, 'index.html')}`);
  return 0;
}

/** The images of the points, and where each one's thumbnail comes from. */
interface Images extends PathsFile {
  sources: (ImageSource | null)[];
}

/**
 * A predictions table's images are its run's data, which the run's run.json names (every domain,
 * MNIST-family pixels included); null when the table has no run.json beside it.
 */
async function predictionsImages(table: string, labels: LabelsFile): Promise<Images | null> {
  const p = labels.predictions;
  const manifest = await readManifest(dirname(resolve(table)));
  const root = manifest?.data?.root;
  if (!p || !root) return null;
  const sources = (await recordedImageSources(manifest, p.paths, p.domains)) ?? fileSources(root, p.paths);
  return { paths: p.paths, root, sources };
}

function pointSet(n: number, labels: LabelsFile | null, images: Images | null): PointSet {
  const p = labels?.predictions;
  return {
    n,
    classes: labels?.classes ?? [],
    paths: images?.paths ?? p?.paths ?? new Array<string>(n).fill(''),
    labelIds: labels?.labelIds ?? new Int32Array(n).fill(-1),
    k: p?.k ?? 0,
    topIds: p?.topIds ?? new Int32Array(0),
    topConf: p?.topConf ?? new Float32Array(0),
  };
}

/** The label columns of the map tables. */
function mapLabels(points: PointSet, domains: PointLabels['domains']): PointLabels {
  const { n, k } = points;
  return {
    domains,
    paths: points.paths,
    classes: points.classes,
    labelIds: points.labelIds,
    predIds: k > 0 ? Int32Array.from({ length: n }, (_, i) => points.topIds[i * k]) : null,
    predConf: k > 0 ? Float32Array.from({ length: n }, (_, i) => points.topConf[i * k]) : null,
  };
}
