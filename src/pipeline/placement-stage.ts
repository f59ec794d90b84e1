/**
 * The placement stage (docs/architecture.md section 4): new points placed into the maps of a
 * reference run (`--reference REF_OUT`), or the rest of a set placed into the map of a seeded sample
 * of it (`--fit-sample M`). Either way the map's own points never move; the tables get a `set`
 * column (`reference` / `new`).
 */
import { join } from 'node:path';
import { CancelledError, UserError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { referenceLabelAccuracy } from '../reduce/metrics/reference-label-accuracy.js';
import { placeIntoMap } from '../reduce/place.js';
import { reduce } from '../reduce/reduce.js';
import { mulberry32 } from '../reduce/rng.js';
import { PLACEMENT_DEFAULTS } from '../reduce/tsne/placement.js';
import type { PointSet } from '../render/types.js';
import { embeddingFileName, type PointLabels, writeEmbeddingCsv } from './embedding-table.js';
import { sha256, stableJson } from './fingerprint.js';
import type { StageControl } from './progress.js';
import {
  type EmbeddingOutput,
  type Method,
  measureEmbedding,
  type ReduceStageOptions,
} from './reduce-stage.js';
import type { ReferenceRun } from './reference-run.js';
import { FEATSCOPE_VERSION } from './version.js';

/** The names of `PointSet.sets` and of the tables' `set` column. */
export const SET_NAMES: readonly string[] = Object.freeze(['reference', 'new']);

/** What run.json records about a placement (manifest `placement`). */
export interface PlacementRecord {
  /** Absolute path of REF_OUT; null for --fit-sample. */
  reference: string | null;
  /** sha256 over the reference features and maps (reference-run.ts); null for --fit-sample. */
  referenceFingerprint: string | null;
  /** Rows of the reference map, then rows placed. */
  referenceRows: number;
  newRows: number;
  /** --fit-sample M, or null. */
  fitSample: number | null;
  /** The placement settings (PLACEMENT_DEFAULTS) used for t-SNE maps. */
  options: Record<string, unknown>;
}

/** A seeded sample of m of the n rows, sorted (the rows the map is fitted on); the rest are placed. */
export function fitSampleRows(n: number, m: number, seed: number): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, m).sort();
}

/** Checks --fit-sample M against the number of points (a usage error, before any work). */
export function checkFitSample(m: number | null, n: number, methods: Method[]): void {
  if (m === null) return;
  if (!Number.isInteger(m) || m < 3 || m >= n) {
    throw new UserError(
      `--fit-sample ${m} is out of range: the map is fitted on M of the ${n} points and the rest are placed, so M must be a whole number from 3 to ${n - 1}.`,
      2,
    );
  }
  if (methods.includes('umap')) {
    throw new UserError(
      '--fit-sample cannot be used with UMAP: placing points into a UMAP map needs the fitted UMAP model, which is not kept. Use --method tsne or pca.',
      2,
    );
  }
}

function rows(x: Matrix, pick: Int32Array): Matrix {
  const out = new Float32Array(pick.length * x.cols);
  for (let i = 0; i < pick.length; i++) {
    out.set(x.data.subarray(pick[i] * x.cols, (pick[i] + 1) * x.cols), i * x.cols);
  }
  return { data: out, rows: pick.length, cols: x.cols };
}

/**
 * `--fit-sample M`: the map of a seeded sample of M rows, then every other row placed into it. Rows
 * stay in input order (the table lines up with predictions.csv); `sets` says which were placed.
 */
export async function fitSampleEmbedding(
  x: Matrix,
  method: Method,
  dims: 2 | 3,
  options: ReduceStageOptions & { fitSample: number },
  control: StageControl & { onFraction?: (f: number) => void },
): Promise<{
  coords: Float32Array;
  sets: Int32Array;
  resolved: Record<string, unknown>;
  warnings: string[];
}> {
  const n = x.rows;
  const sample = fitSampleRows(n, options.fitSample, options.seed);
  const inSample = new Uint8Array(n);
  for (const i of sample) inSample[i] = 1;
  const rest = Int32Array.from({ length: n - sample.length }, () => 0);
  for (let i = 0, r = 0; i < n; i++) if (!inSample[i]) rest[r++] = i;
  const fitX = rows(x, sample);
  const fit = await reduce(fitX, {
    method,
    dims,
    perplexity: options.perplexity,
    seed: options.seed,
    iterations: options.iterations ?? undefined,
    threads: options.threads,
    onProgress: (f) => control.onFraction?.(0.9 * f),
    signal: control.signal,
  });
  if (control.signal?.aborted) throw new CancelledError();
  const placed = await placeIntoMap(rows(x, rest), {
    method,
    referenceFeatures: fitX,
    referenceMap: { data: fit.embedding, rows: sample.length, cols: dims },
    referenceResolved: fit.resolved,
  });
  const coords = new Float32Array(n * dims);
  const sets = new Int32Array(n);
  sample.forEach((i, r) => coords.set(fit.embedding.subarray(r * dims, (r + 1) * dims), i * dims));
  rest.forEach((i, r) => {
    coords.set(placed.embedding.subarray(r * dims, (r + 1) * dims), i * dims);
    sets[i] = 1;
  });
  return {
    coords,
    sets,
    resolved: { ...fit.resolved, fitSample: options.fitSample, placement: placed.resolved },
    warnings: [...fit.warnings, ...placed.warnings],
  };
}

/** What `placeIntoReference` places and where it writes. */
export interface PlacementJob extends StageControl {
  outDir: string;
  reference: ReferenceRun;
  /** The new points' features. */
  features: Matrix;
  /** sha256 of the new features (part of each placed map's cache key). */
  featuresHash: string;
  /** Table columns of the reference points followed by the new ones, with `sets`. */
  labels: PointLabels;
  /** Reference maps to place into (method and dims); every one must exist in the reference. */
  maps: { method: Method; dims: 2 | 3 }[];
}

/** Every map of `job.maps`: the reference rows as they are, then the new rows placed. */
export async function placeIntoReference(job: PlacementJob): Promise<EmbeddingOutput[]> {
  const { reference: ref, features, labels, onProgress, signal } = job;
  const nRef = ref.points.n;
  const n = nRef + features.rows;
  const all: Matrix = {
    data: concat(ref.referenceFeatures.data, features.data),
    rows: n,
    cols: features.cols,
  };
  const outputs: EmbeddingOutput[] = [];
  for (const { method, dims } of job.maps) {
    if (signal?.aborted) throw new CancelledError();
    const map = ref.embeddings.find((e) => e.method === method && e.dims === dims);
    if (!map) throw new Error(`no ${method}-${dims}d map in the reference`);
    const stage = `place ${method} ${dims}D`;
    const started = performance.now();
    onProgress?.({ stage, done: 0, total: 1, unit: 'maps' });
    const placed = await placeIntoMap(features, {
      method,
      referenceFeatures: ref.referenceFeatures,
      referenceMap: { data: map.coords, rows: nRef, cols: dims },
      referenceResolved: map.resolved,
    });
    const coords = concat(map.coords, placed.embedding);
    const metrics = measureEmbedding(all.data, n, all.cols, coords, dims, labels, null);
    metrics.placedLabelAccuracy = referenceLabelAccuracy(
      map.coords,
      nRef,
      placed.embedding,
      features.rows,
      dims,
      labels.labelIds,
    );
    if (Number.isNaN(metrics.placedLabelAccuracy)) metrics.placedLabelAccuracy = null;
    const file = embeddingFileName(method, dims, 'csv');
    await writeEmbeddingCsv(join(job.outDir, file), coords, dims, labels, n);
    onProgress?.({ stage, done: 1, total: 1, unit: 'maps' });
    outputs.push({
      method,
      dims,
      coords,
      seconds: (performance.now() - started) / 1000,
      resolved: { ...map.resolved, placement: placed.resolved },
      warnings: placed.warnings,
      metrics,
      reused: false,
      cacheKey: sha256(FEATSCOPE_VERSION, ref.fingerprint, job.featuresHash, stableJson({ method, dims })),
      file,
    });
  }
  return outputs;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * The reference run's points followed by the new ones: classes joined by name (the reference's
 * first), predictions kept when both sets have them, domains kept when both have them, and `sets`.
 */
export function combinePoints(ref: PointSet, add: PointSet): PointSet {
  const classes = [...ref.classes];
  const index = new Map(classes.map((c, i) => [c, i]));
  const remap = add.classes.map((c) => {
    if (!index.has(c)) index.set(c, classes.push(c) - 1);
    return index.get(c)!;
  });
  const n = ref.n + add.n;
  const labelIds = new Int32Array(n);
  labelIds.set(ref.labelIds);
  for (let i = 0; i < add.n; i++) labelIds[ref.n + i] = add.labelIds[i] < 0 ? -1 : remap[add.labelIds[i]];
  const k = ref.k > 0 && add.k > 0 ? Math.min(ref.k, add.k) : 0;
  const topIds = new Int32Array(n * k);
  const topConf = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const from = i < ref.n ? ref : add;
    const row = i < ref.n ? i : i - ref.n;
    for (let t = 0; t < k; t++) {
      const id = from.topIds[row * from.k + t];
      topIds[i * k + t] = from === ref ? id : remap[id];
      topConf[i * k + t] = from.topConf[row * from.k + t];
    }
  }
  const sets = { names: [...SET_NAMES], ids: new Int32Array(n).fill(1, ref.n) };
  let domains: PointSet['domains'];
  if (ref.domains && add.domains) {
    const names = [...ref.domains.names];
    const ids = new Int32Array(n);
    ids.set(ref.domains.ids);
    add.domains.ids.forEach((id, i) => {
      const name = add.domains!.names[id];
      const at = names.indexOf(name);
      ids[ref.n + i] = at >= 0 ? at : names.push(name) - 1;
    });
    domains = { names, ids };
  }
  return {
    n,
    classes,
    paths: [...ref.paths, ...add.paths],
    labelIds,
    k,
    topIds,
    topConf,
    sets,
    ...(domains ? { domains } : {}),
    ...(ref.thumbnails && add.thumbnails ? { thumbnails: [...ref.thumbnails, ...add.thumbnails] } : {}),
  };
}

/** The table columns of a PointSet (labels, top-1 prediction, domains, sets). */
export function pointLabels(points: PointSet): PointLabels {
  const { n, k } = points;
  return {
    paths: points.paths,
    classes: points.classes,
    labelIds: points.labelIds,
    predIds: k > 0 ? Int32Array.from({ length: n }, (_, i) => points.topIds[i * k]) : null,
    predConf: k > 0 ? Float32Array.from({ length: n }, (_, i) => points.topConf[i * k]) : null,
    ...(points.domains ? { domains: points.domains } : {}),
    ...(points.sets ? { sets: points.sets } : {}),
  };
}

/** The run.json record of a placement. */
export function placementRecord(
  ref: ReferenceRun | null,
  nRef: number,
  nNew: number,
  fitSample: number | null,
): PlacementRecord {
  return {
    reference: ref?.dir ?? null,
    referenceFingerprint: ref?.fingerprint ?? null,
    referenceRows: nRef,
    newRows: nNew,
    fitSample,
    options: { ...PLACEMENT_DEFAULTS },
  };
}
