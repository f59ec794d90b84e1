/**
 * `--metadata FILE.csv`: extra columns per image (site, age, scanner, a score...) joined on `path`,
 * the image path exactly as predictions.csv writes it. The pages can colour by each column: numbers
 * continuously with a colour bar, anything else as categories.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import { ownString } from '../io/csv.js';
import { readCsvFile } from '../io/csv-file.js';
import type { MetadataColumn, PointSet } from '../render/types.js';
import type { RunManifest } from './manifest.js';
import { checkMetadataColorBy, type PlotOptions } from './plot-options.js';

/** A metadata file as read: its columns besides `path`, and each path's fields in that order. */
export interface MetadataTable {
  file: string;
  columns: string[];
  rows: Map<string, string[]>;
}

/** Cells that mean "no value" in a numeric column (pandas, R and spreadsheets write these). */
const MISSING = new Set(['', 'na', 'nan', 'n/a', 'null', 'none']);

const FORMAT_HINT =
  'A metadata file is a CSV whose header names a `path` column (the image path as in predictions.csv: ' +
  'relative to the data root, /-separated) and the columns to colour by.';

/** Reads and checks the file: a `path` column, at least one other column, each path once. */
export async function readMetadataFile(file: string, signal?: AbortSignal): Promise<MetadataTable> {
  let header: string[] = [];
  let pathCol = -1;
  const rows = new Map<string, string[]>();
  const firstRow = new Map<string, number>();
  const fail = (what: string): never => {
    throw new UserError(`The metadata file ${file} ${what}`);
  };
  try {
    await readCsvFile(
      file,
      (fields, row) => {
        if (row === 0) {
          header = fields.map((f) => f.trim());
          pathCol = header.indexOf('path');
          if (pathCol < 0)
            fail(`has no \`path\` column (its header is: ${header.join(', ')}). ${FORMAT_HINT}`);
          if (header.length < 2) fail(`has only a \`path\` column: nothing to colour by. ${FORMAT_HINT}`);
          const dup = header.find((h, i) => header.indexOf(h) !== i);
          if (dup !== undefined) fail(`names the column "${dup}" twice; give each column its own name.`);
          return;
        }
        if (fields.length === 1 && fields[0] === '') return; // a blank line
        if (fields.length > header.length)
          fail(`row ${row + 1} has ${fields.length} fields but the header names ${header.length} columns.`);
        const path = fields[pathCol] ?? '';
        if (path === '')
          fail(`row ${row + 1} has an empty path; every row needs the image path it describes.`);
        const seen = firstRow.get(path);
        if (seen !== undefined)
          fail(`lists the path ${path} twice (rows ${seen + 1} and ${row + 1}); give each image one row.`);
        firstRow.set(path, row);
        const values: string[] = [];
        for (let c = 0; c < header.length; c++) if (c !== pathCol) values.push(ownString(fields[c] ?? ''));
        rows.set(ownString(path), values);
      },
      signal,
    );
  } catch (e) {
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    fail(`cannot be read: ${err.code}. Check the --metadata path.`);
  }
  if (header.length === 0) fail(`is empty. ${FORMAT_HINT}`);
  return { file, columns: header.filter((_, c) => c !== pathCol), rows };
}

/**
 * The table's columns for each point, by path. A column whose every present value is a number
 * becomes numeric (NaN where missing); any other column is categorical ('' where missing). Points
 * without a row get no values and a warning; no match at all is an error (the paths are written
 * differently, e.g. absolute or with another root).
 */
export function joinMetadata(
  table: MetadataTable,
  paths: readonly string[],
): { metadata: NonNullable<PointSet['metadata']>; warning: string | null } {
  const n = paths.length;
  const rowOf = paths.map((p) => table.rows.get(p));
  const unmatched = paths.filter((_, i) => rowOf[i] === undefined);
  if (n > 0 && unmatched.length === n) {
    const example = table.rows.keys().next().value;
    throw new UserError(
      `None of the ${n} image paths matches a \`path\` in the metadata file ${table.file} (e.g. image ` +
        `"${paths[0]}", metadata "${example ?? '(no rows)'}"). Write each path as predictions.csv does: ` +
        'relative to the data root, /-separated.',
    );
  }
  const columns: MetadataColumn[] = table.columns.map((name, c) => {
    const raw = rowOf.map((r) => (r ? r[c].trim() : ''));
    const numbers = raw.map((v) => (MISSING.has(v.toLowerCase()) ? Number.NaN : Number(v)));
    const numeric = raw.every((v, i) => MISSING.has(v.toLowerCase()) || Number.isFinite(numbers[i]));
    return numeric
      ? { name, kind: 'number', values: Float64Array.from(numbers) }
      : { name, kind: 'category', values: raw };
  });
  const warning =
    unmatched.length > 0
      ? `${unmatched.length} of ${n} images have no row in the metadata file ${table.file} ` +
        `(e.g. ${unmatched.slice(0, 3).join(', ')}); the pages show them as "no value" when coloured by its columns.`
      : null;
  return { metadata: { columns }, warning };
}

/**
 * Reads `--metadata` (when given) and checks `--color-by metadata:NAME` against its columns: both
 * before any work, so a bad file stops a run at once.
 */
export async function loadPlotMetadata(
  plot: Pick<PlotOptions, 'metadata' | 'colorBy'>,
  signal?: AbortSignal,
): Promise<MetadataTable | null> {
  const table = plot.metadata ? await readMetadataFile(plot.metadata, signal) : null;
  checkMetadataColorBy(plot.colorBy, table?.columns ?? null);
  return table;
}

/**
 * The metadata file a run recorded (run.json's options.plot.metadata), which `plot` reuses when no
 * --metadata is given, so redrawn pages keep their columns. A recorded file that is gone is dropped
 * with a warning that says how to give it again; null when none was recorded.
 */
export function recordedMetadataFile(manifest: RunManifest | null, warnings: string[]): string | null {
  const plot = manifest?.options?.plot as { metadata?: unknown } | undefined;
  const file = plot?.metadata;
  if (typeof file !== 'string' || file === '') return null;
  if (existsSync(file)) return file;
  warnings.push(
    `run.json records the metadata file ${file}, which is not there any more, so the pages have no metadata columns; give --metadata FILE.csv to add them again.`,
  );
  return null;
}
