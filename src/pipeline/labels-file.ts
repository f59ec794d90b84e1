/**
 * `featscope reduce --labels L`: the labels of a feature matrix from the files people have.
 * - a predictions table (featscope's predictions.csv): labels, paths and predictions;
 * - a NumPy `.npy` of class ids (any integer dtype, or floats holding whole numbers);
 * - a text or CSV file with one label per row: class names, or ids (whole numbers). A first line
 *   `label` is a header; a CSV with several columns needs a `label` column.
 * Ids are named by `--classes` when given, else by themselves ("0", "1", ...); names are looked up in
 * `--classes` when given, else become classes in sorted order (as ImageFolder sorts folders).
 * An empty label (or -1) means "no label". Everything is checked before any output is written.
 */
import { open, readFile } from 'node:fs/promises';
import type { ClassIndex } from '../dataset/class-index.js';
import { CancelledError, UserError } from '../errors.js';
import { ownString } from '../io/csv.js';
import { readCsvFile } from '../io/csv-file.js';
import { decodeNpyLabels } from '../io/npy.js';
import type { Predictions } from './predictions-table.js';
import { readPredictionsCsv } from './predictions-table.js';

export type LabelsForm = 'predictions' | 'npy' | 'text';

export interface LabelsFile {
  form: LabelsForm;
  classes: string[];
  labelIds: Int32Array;
  /** From a predictions table only. */
  predictions: Predictions | null;
  /** Notes for the user (e.g. --classes ignored). */
  warnings: string[];
}

/** Reads `file` in whichever form it is, checking that it has `rows` rows (the feature rows). */
export async function readLabelsFile(
  file: string,
  rows: number,
  featuresFile: string,
  classIndex: ClassIndex | null,
  signal?: AbortSignal,
): Promise<LabelsFile> {
  const head = await readHead(file);
  const warnings: string[] = [];
  let out: LabelsFile;
  if (isNpy(head)) {
    const { ids } = decodeNpyLabels(await readFile(file), file);
    out = {
      form: 'npy',
      ...namedIds(Array.from(ids), file, classIndex, (i) => `row ${i}`),
      predictions: null,
      warnings,
    };
  } else if (isPredictionsHeader(head)) {
    const p = await readPredictionsCsv(file, { probs: false, signal });
    if (classIndex)
      warnings.push(`${file} is a predictions table with its own class names; --classes is not used.`);
    out = { form: 'predictions', classes: p.classes, labelIds: p.labelIds, predictions: p, warnings };
  } else {
    out = { form: 'text', ...(await textLabels(file, classIndex, signal)), predictions: null, warnings };
  }
  if (out.labelIds.length !== rows) {
    throw new UserError(
      `${file} has ${out.labelIds.length} labels but ${featuresFile} has ${rows} rows; they must describe the same images in the same order (one label per feature row).`,
    );
  }
  return out;
}

async function readHead(file: string): Promise<Uint8Array> {
  try {
    const fh = await open(file, 'r');
    try {
      const buf = new Uint8Array(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(
      `Cannot read the labels file ${file}: ${err.code ?? err.message}. Check the --labels path.`,
    );
  }
}

function isNpy(head: Uint8Array): boolean {
  return head.length >= 6 && head[0] === 0x93 && String.fromCharCode(...head.subarray(1, 6)) === 'NUMPY';
}

function isPredictionsHeader(head: Uint8Array): boolean {
  const first = new TextDecoder().decode(head).split(/\r?\n/)[0];
  const cols = first.split(',');
  return cols.includes('label_id') && cols.includes('top1_id');
}

const INTEGER = /^-?\d+$/;

/** Class ids -> classes named by the index, or by the ids themselves. `where(i)` names entry i in errors. */
function namedIds(
  ids: number[],
  file: string,
  classIndex: ClassIndex | null,
  where: (i: number) => string,
): { classes: string[]; labelIds: Int32Array } {
  const max = ids.reduce((a, b) => Math.max(a, b), -1);
  if (classIndex) {
    const i = ids.findIndex((v) => v >= classIndex.names.length);
    if (i >= 0) {
      throw new UserError(
        `${file} ${where(i)} has the class id ${ids[i]}, but ${classIndex.source} names only ${classIndex.names.length} classes (ids 0..${classIndex.names.length - 1}). Pass the class-index file the labels use.`,
      );
    }
    return { classes: classIndex.names, labelIds: Int32Array.from(ids) };
  }
  return { classes: Array.from({ length: max + 1 }, (_, c) => String(c)), labelIds: Int32Array.from(ids) };
}

/** One label per row; an optional `label` header, or a `label` column of a wider CSV. */
async function textLabels(
  file: string,
  classIndex: ClassIndex | null,
  signal?: AbortSignal,
): Promise<{ classes: string[]; labelIds: Int32Array }> {
  const values: string[] = [];
  let column = 0;
  let firstLine = 1; // file line of values[0], for messages
  await readCsvFile(
    file,
    (fields, row) => {
      if (row === 0 && fields.length > 1) {
        column = fields.findIndex((f) => f.trim().toLowerCase() === 'label');
        if (column < 0) {
          throw new UserError(
            `${file} has ${fields.length} columns (${fields.slice(0, 5).join(', ')}) and none is named "label". Pass one label per line, or a CSV with a header naming the "label" column.`,
          );
        }
        firstLine = 2;
        return;
      }
      if (row === 0 && fields[0].trim().toLowerCase() === 'label') {
        firstLine = 2;
        return;
      }
      values.push(ownString((fields[column] ?? '').trim()));
    },
    signal,
  ).catch((e) => {
    if (e instanceof UserError || e instanceof CancelledError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`Cannot read the labels file ${file}: ${err.code ?? err.message}.`);
  });
  const line = (i: number) => `line ${i + firstLine}`;
  const given = values.filter((v) => v !== '' && v !== '-1');
  if (given.every((v) => INTEGER.test(v))) {
    const ids = values.map((v) => (v === '' ? -1 : Number(v)));
    const bad = ids.findIndex((v) => v < -1);
    if (bad >= 0)
      throw new UserError(
        `${file} ${line(bad)} has the class id ${ids[bad]}; ids run from 0 (-1 or empty for "no label").`,
      );
    return namedIds(ids, file, classIndex, line);
  }
  let classes: string[];
  let index: Map<string, number>;
  if (classIndex) {
    classes = classIndex.names;
    index = new Map();
    classIndex.aliases.forEach((names, c) => {
      for (const n of [...names, classIndex.names[c]]) if (!index.has(n)) index.set(n, c);
    });
  } else {
    classes = [...new Set(given)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    index = new Map(classes.map((c, i) => [c, i]));
  }
  const labelIds = new Int32Array(values.length);
  values.forEach((v, i) => {
    if (v === '' || v === '-1') {
      labelIds[i] = -1;
      return;
    }
    const id = index.get(v);
    if (id === undefined) {
      const known = classes.slice(0, 5).map((c) => `"${c}"`);
      throw new UserError(
        `${file} ${line(i)} has the class name "${v}", which ${classIndex?.source ?? '--classes'} does not name ` +
          `(it names ${classes.length} classes: ${known.join(', ')}${classes.length > 5 ? ', ...' : ''}). Fix the label or pass the matching --classes file.`,
      );
    }
    labelIds[i] = id;
  });
  return { classes, labelIds };
}
