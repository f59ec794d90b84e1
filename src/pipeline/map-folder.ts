/**
 * What `featscope plot` draws from: any folder holding a map (`tsne-2d.csv`, `pca-3d.csv`, ...). The
 * points' labels and predictions come from predictions.csv when the folder has one, else from the
 * map table's own columns (label_name, pred_name, confidence); run.json, when present, gives the class
 * order, the image folder and each map's metrics; features.npy, when present, the neighbours.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { decodeNpyMatrix, type NpyMatrix } from '../io/npy.js';
import type { PointSet } from '../render/types.js';
import { FEATURES_FILE, PREDICTIONS_FILE } from './classify-outputs.js';
import { type EmbeddingTable, parseEmbeddingFileName, readEmbeddingCsv } from './embedding-table.js';
import { type RunManifest, readManifest } from './manifest.js';
import { readPredictionsCsv } from './predictions-table.js';
import type { EmbeddingOutput } from './reduce-stage.js';

export interface MapFolder {
  manifest: RunManifest | null;
  points: PointSet;
  embeddings: EmbeddingOutput[];
  features: NpyMatrix | null;
  /** Folder the points' relative paths start from, when known. */
  root: string | null;
  /** True when the labels and predictions came from predictions.csv. */
  fromPredictions: boolean;
  warnings: string[];
}

const METHOD_ORDER = ['tsne', 'pca', 'umap'];

export async function loadMapFolder(dir: string, signal?: AbortSignal): Promise<MapFolder> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(
      `Cannot read the folder ${dir}: ${err.code ?? err.message}. Pass --run with a featscope output folder.`,
    );
  }
  const maps = names
    .map((file) => ({ file, kind: parseEmbeddingFileName(file) }))
    .filter((m) => m.kind !== null)
    .sort(
      (a, b) =>
        METHOD_ORDER.indexOf(a.kind!.method) - METHOD_ORDER.indexOf(b.kind!.method) ||
        a.kind!.dims - b.kind!.dims,
    );
  if (maps.length === 0) {
    throw new UserError(
      `${dir} holds no map (tsne-2d.csv, tsne-3d.csv, pca-2d.csv, ...). Make one with \`featscope run\` or \`featscope reduce\` first.`,
    );
  }
  const manifest = await readManifest(dir);
  const warnings: string[] = [];
  const tables: EmbeddingTable[] = [];
  const embeddings: EmbeddingOutput[] = [];
  for (const { file, kind } of maps) {
    const t = await readEmbeddingCsv(join(dir, file), kind!.dims, join(dir, file));
    if (tables.length > 0 && t.n !== tables[0].n) {
      throw new UserError(
        `${join(dir, file)} has ${t.n} rows but ${maps[0].file} has ${tables[0].n}; the maps of one folder must describe the same points.`,
      );
    }
    tables.push(t);
    const e = manifest?.embeddings?.find((m) => m.file === file);
    embeddings.push({
      method: kind!.method,
      dims: kind!.dims,
      coords: t.coords,
      seconds: e?.seconds ?? 0,
      resolved: e?.resolved ?? {},
      warnings: [],
      metrics: (e?.metrics ?? {
        trustworthiness: null,
        knnPreservation: null,
        knnLabelAccuracy: null,
        klDivergence: null,
        neighbors: 10,
      }) as unknown as EmbeddingOutput['metrics'],
      reused: true,
      cacheKey: e?.cacheKey ?? '',
      file,
    });
  }
  const n = tables[0].n;
  let points: PointSet;
  // A map with points placed into another run's map lists that run's points too: its own table
  // columns describe every row, where predictions.csv has only the new ones.
  const fromPredictions =
    existsSync(join(dir, PREDICTIONS_FILE)) && !(tables[0].sets && manifest?.placement?.reference);
  if (fromPredictions) {
    const p = await readPredictionsCsv(join(dir, PREDICTIONS_FILE), { probs: false, signal });
    if (p.paths.length !== n) {
      throw new UserError(
        `${join(dir, maps[0].file)} has ${n} rows but ${PREDICTIONS_FILE} has ${p.paths.length}; re-run the stage that made the map.`,
      );
    }
    points = {
      n,
      classes: p.classes,
      paths: p.paths,
      labelIds: p.labelIds,
      k: p.k,
      topIds: p.topIds,
      topConf: p.topConf,
      ...(p.domains ? { domains: p.domains } : {}),
    };
  } else {
    points = pointsFromTable(tables[0], manifest?.data?.classes ?? null);
  }
  const setNames = tables[0].sets;
  if (setNames)
    points.sets = {
      names: ['reference', 'new'],
      ids: Int32Array.from(setNames, (s) => (s === 'new' ? 1 : 0)),
    };
  let features: NpyMatrix | null = null;
  if (existsSync(join(dir, FEATURES_FILE))) {
    features = decodeNpyMatrix(await readFile(join(dir, FEATURES_FILE)), join(dir, FEATURES_FILE));
    if (features.rows !== n) {
      warnings.push(
        `${FEATURES_FILE} has ${features.rows} rows but the maps have ${n}; the pages show no feature-space neighbours.`,
      );
      features = null;
    }
  }
  const root = manifest?.data?.root || (points.paths.some((p) => p !== '') ? dir : null);
  return { manifest, points, embeddings, features, root, fromPredictions, warnings };
}

/** Points from a map table's label columns; classes in the recorded order, else sorted by name. */
function pointsFromTable(t: EmbeddingTable, recorded: string[] | null): PointSet {
  const { n } = t;
  const labels = t.labelNames ?? new Array<string>(n).fill('');
  const preds = t.predNames ?? new Array<string>(n).fill('');
  const used = new Set([...labels, ...preds].filter((s) => s !== ''));
  const classes =
    recorded && [...used].every((c) => recorded.includes(c))
      ? recorded
      : [...used].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((c, i) => [c, i]));
  const labelIds = Int32Array.from(labels, (s) => (s === '' ? -1 : index.get(s)!));
  // The domain column, names in first-seen order (the order of --data).
  let domains: PointSet['domains'];
  if (t.domains) {
    const names: string[] = [];
    const ids = Int32Array.from(t.domains, (d) => {
      const at = names.indexOf(d);
      return at >= 0 ? at : names.push(d) - 1;
    });
    if (names.length > 1) domains = { names, ids };
  }
  // A top-1 prediction for every point, or none: the renderers need k predictions per point.
  const k = preds.every((s) => s !== '') ? 1 : 0;
  return {
    n,
    classes,
    paths: t.paths ?? new Array<string>(n).fill(''),
    labelIds,
    k,
    topIds: k ? Int32Array.from(preds, (s) => index.get(s)!) : new Int32Array(0),
    topConf: k
      ? Float32Array.from(t.predConf ?? new Float32Array(n), (v) => (Number.isNaN(v) ? 0 : v))
      : new Float32Array(0),
    ...(domains ? { domains } : {}),
  };
}
