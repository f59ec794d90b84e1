/**
 * `--paths FILE`: the image of each feature row, for thumbnails in the pages. One path per line
 * (a first line `path` is a header), or a CSV whose header names a `path` column. Relative paths are
 * relative to the file's folder; absolute paths are kept.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parseCsv } from '../io/csv.js';

export interface PathsFile {
  /** Paths as written in the file (shown in the pages and written to the map tables). */
  paths: string[];
  /** Absolute folder the relative paths start from: the file's folder. */
  root: string;
}

export async function readPathsFile(file: string, rows: number, featuresFile: string): Promise<PathsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(
      `Cannot read the paths file ${file}: ${err.code ?? err.message}. Check the --paths path.`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  let paths: string[];
  const header = lines.length > 0 ? parseCsv(`${lines[0]}\n`)[0] : [];
  if (header.length > 1 && header.includes('path')) {
    const col = header.indexOf('path');
    paths = parseCsv(text)
      .slice(1)
      .map((r) => r[col] ?? '');
  } else {
    paths = lines[0]?.trim() === 'path' ? lines.slice(1) : lines;
  }
  if (paths.length !== rows) {
    throw new UserError(
      `${file} has ${paths.length} paths but ${featuresFile} has ${rows} rows; pass one image path per feature row, in the same order.`,
    );
  }
  return { paths, root: dirname(resolve(file)) };
}
