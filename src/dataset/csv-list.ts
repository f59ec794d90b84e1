/**
 * A CSV list of test images (RFC 4180, header line): a `path` column, and optionally a `label` column.
 * Paths are relative to the CSV file's folder (absolute paths are kept); rows keep the file's order.
 * Labels are class names; an empty label marks an unlabelled image. With --classes, a label that is
 * not a class name but a whole number is read as a class index (see classes.ts).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { parseCsvRecords } from '../io/csv.js';
import type { SourceItem } from './source-item.js';

export interface CsvList {
  items: SourceItem[];
  /** Distinct labels in first-seen order; items' labelId index this list (-1 = no label). */
  labels: string[];
  hasLabelColumn: boolean;
}

export async function readCsvList(file: string): Promise<CsvList> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`Cannot read the CSV list ${file}: ${(e as Error).message}.`);
  }
  const { header, records } = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const columns = header.map((h) => h.trim());
  const pathCol = header[columns.indexOf('path')];
  if (pathCol === undefined) {
    throw new UserError(
      `The CSV list ${file} has no "path" column (its header is: ${header.slice(0, 8).join(', ') || 'empty'}). ` +
        'A CSV given to --data needs a header line with a path column and, optionally, a label column, e.g. ' +
        '"path,label" then "images/001.png,cat"; paths are relative to the CSV file.',
    );
  }
  const labelCol = columns.includes('label') ? header[columns.indexOf('label')] : undefined;
  if (records.length === 0) throw new UserError(`The CSV list ${file} has a header but no rows.`);
  const base = dirname(file);
  const labels: string[] = [];
  const ids = new Map<string, number>();
  const items: SourceItem[] = records.map((r, i) => {
    const path = r[pathCol].trim();
    if (path === '')
      throw new UserError(
        `Row ${i + 2} of the CSV list ${file} has an empty path. Fill it in or delete the row.`,
      );
    const label = labelCol === undefined ? '' : r[labelCol].trim();
    let labelId = -1;
    if (label !== '') {
      labelId = ids.get(label) ?? labels.length;
      if (labelId === labels.length) {
        ids.set(label, labelId);
        labels.push(label);
      }
    }
    return { path: path.replaceAll('\\', '/'), file: isAbsolute(path) ? path : join(base, path), labelId };
  });
  return { items, labels, hasLabelColumn: labelCol !== undefined };
}
