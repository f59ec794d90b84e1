/**
 * Coordinate tables (`tsne-2d.csv`, `pca-3d.csv`, ...): `x,y[,z],path,label_name,pred_name,correct,confidence`
 * in predictions.csv row order, plus `domain` when there are several domains (docs/architecture.md section 2),
 * and last `set` (`reference` / `new`) in a map that new points were placed into.
 * Label columns are empty when no labels are known. Written and read as streams, like predictions.csv.
 */

import { CancelledError, UserError } from '../errors.js';
import { writeFileAtomicFrom } from '../io/atomic.js';
import { csvChunks, csvField, csvLine, ownString } from '../io/csv.js';
import { countCsvLines, readCsvFile } from '../io/csv-file.js';
import { float32String } from './format.js';

export interface PointLabels {
  paths: string[];
  classes: string[];
  labelIds: Int32Array;
  /** Top-1 predicted ids and confidences; null when unknown. */
  predIds: Int32Array | null;
  predConf: Float32Array | null;
  /** Domain of each point when there are several. */
  domains?: { names: string[]; ids: Int32Array };
  /** Placed maps: which set each point belongs to (names `reference`, `new`). */
  sets?: { names: string[]; ids: Int32Array };
}

export function embeddingFileName(method: string, dims: number, ext: string): string {
  return `${method}-${dims}d.${ext}`;
}

/** `tsne-2d.csv` -> method and dims; null for any other name. */
export function parseEmbeddingFileName(
  name: string,
): { method: 'tsne' | 'pca' | 'umap'; dims: 2 | 3 } | null {
  const m = /^(tsne|pca|umap)-([23])d\.csv$/.exec(name);
  return m ? { method: m[1] as 'tsne' | 'pca' | 'umap', dims: Number(m[2]) as 2 | 3 } : null;
}

/** The table's lines (header first), one row at a time. */
export function* embeddingLines(
  coords: Float32Array,
  dims: number,
  labels: PointLabels | null,
  n: number,
): Generator<string> {
  const domains = labels?.domains && labels.domains.names.length > 1 ? labels.domains : undefined;
  const axes = ['x', 'y', 'z'].slice(0, dims);
  const rest = ['path', 'label_name', 'pred_name', 'correct', 'confidence'];
  const sets = labels?.sets;
  yield csvLine([...axes, ...rest, ...(domains ? ['domain'] : []), ...(sets ? ['set'] : [])]);
  const names = labels?.classes.map(csvField) ?? [];
  const domainNames = domains?.names.map(csvField);
  const setNames = sets?.names.map(csvField);
  for (let i = 0; i < n; i++) {
    let line = float32String(coords[i * dims]);
    for (let d = 1; d < dims; d++) line += `,${float32String(coords[i * dims + d])}`;
    if (!labels) {
      yield `${line},,,,,`;
      continue;
    }
    const set = sets && setNames ? `,${setNames[sets.ids[i]]}` : '';
    const l = labels.labelIds[i];
    const p = labels.predIds ? labels.predIds[i] : -1;
    line += `,${csvField(labels.paths[i])},${l >= 0 ? names[l] : ''},${p >= 0 ? names[p] : ''}`;
    line += `,${l >= 0 && p >= 0 ? String(l === p) : ''}`;
    line += `,${labels.predConf ? float32String(labels.predConf[i]) : ''}`;
    if (domains && domainNames) line += `,${domainNames[domains.ids[i]]}`;
    yield line + set;
  }
}

/** Writes a coordinate table a chunk at a time, atomically. */
export async function writeEmbeddingCsv(
  path: string,
  coords: Float32Array,
  dims: number,
  labels: PointLabels | null,
  n: number,
): Promise<void> {
  await writeFileAtomicFrom(path, csvChunks(embeddingLines(coords, dims, labels, n)));
}

/** A coordinate table read back: the coordinates, and the label columns when the table has them. */
export interface EmbeddingTable {
  n: number;
  coords: Float32Array;
  /** Per-row text columns, null when the column is absent. */
  paths: string[] | null;
  labelNames: string[] | null;
  predNames: string[] | null;
  predConf: Float32Array | null;
  domains: string[] | null;
  /** The `set` column of a placed map (`reference` / `new`), null when absent. */
  sets: string[] | null;
}

/** Reads a coordinate table as a stream; `source` names it in errors. */
export async function readEmbeddingCsv(path: string, dims: number, source: string): Promise<EmbeddingTable> {
  const axes = ['x', 'y', 'z'].slice(0, dims);
  let cols: number[] = [];
  let text: Record<'path' | 'label_name' | 'pred_name' | 'domain' | 'set', number | undefined> | null = null;
  let confCol: number | undefined;
  let coords = new Float32Array(0);
  const columns = {
    path: [] as string[],
    label_name: [] as string[],
    pred_name: [] as string[],
    domain: [] as string[],
    set: [] as string[],
  };
  const conf: number[] = [];
  let n = 0;
  const fail = (what: string): never => {
    throw new UserError(
      `${source} ${what}. Pass a coordinate table written by featscope (x,y[,z],path,...).`,
    );
  };
  try {
    const capacity = await countCsvLines(path);
    await readCsvFile(path, (fields, row) => {
      if (row === 0) {
        cols = axes.map((a) => fields.indexOf(a));
        if (cols.some((c) => c < 0))
          fail(`lacks the column(s) ${axes.filter((_, d) => cols[d] < 0).join(', ')}`);
        const at = (name: string) => (fields.includes(name) ? fields.indexOf(name) : undefined);
        text = {
          path: at('path'),
          label_name: at('label_name'),
          pred_name: at('pred_name'),
          domain: at('domain'),
          set: at('set'),
        };
        confCol = at('confidence');
        coords = new Float32Array(capacity * dims);
        return;
      }
      if (fields.length === 1 && fields[0] === '') return;
      if (n >= capacity) fail('has more rows than lines'); // only with CR-only line ends
      for (let d = 0; d < dims; d++) {
        const v = Number(fields[cols[d]]);
        if (fields[cols[d]] === undefined || fields[cols[d]] === '' || !Number.isFinite(v)) {
          fail(`line ${row + 1} has ${axes[d]} "${fields[cols[d]] ?? ''}", not a finite number`);
        }
        coords[n * dims + d] = v;
      }
      for (const [name, c] of Object.entries(text!)) {
        if (c !== undefined) columns[name as keyof typeof columns].push(ownString(fields[c] ?? ''));
      }
      if (confCol !== undefined) conf.push(fields[confCol] ? Number(fields[confCol]) : Number.NaN);
      n++;
    });
  } catch (e) {
    if (e instanceof UserError || e instanceof CancelledError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`Cannot read the coordinate table ${source}: ${err.code ?? err.message}.`);
  }
  if (!text) fail('is empty: it has no header line');
  const t = text as unknown as Record<string, number | undefined>;
  return {
    n,
    coords: coords.subarray(0, n * dims),
    paths: t.path !== undefined ? columns.path : null,
    labelNames: t.label_name !== undefined ? columns.label_name : null,
    predNames: t.pred_name !== undefined ? columns.pred_name : null,
    predConf: confCol !== undefined ? Float32Array.from(conf) : null,
    domains: t.domain !== undefined ? columns.domain : null,
    sets: t.set !== undefined ? columns.set : null,
  };
}
