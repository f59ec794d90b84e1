/**
 * Coordinate tables (`tsne-2d.csv`, `pca-3d.csv`, ...): `x,y[,z],path,label_name,pred_name,correct,confidence`
 * in predictions.csv row order, plus a last `domain` column when there are several domains (docs/architecture.md).
 * Label columns are empty when no labels are known.
 */

import { UserError } from '../errors.js';
import { type CsvValue, formatCsv, parseCsvRecords } from '../io/csv.js';
import { float32String } from './format.js';

export interface PointLabels {
  paths: string[];
  classes: string[];
  labelIds: Int32Array;
  /** Top-1 predicted ids and confidences; null when unknown. */
  predIds: Int32Array | null;
  predConf: Float32Array | null;
  /** Several domains: names and each row's index (adds a last `domain` column). */
  domains?: { names: string[]; ids: Int32Array };
}

export function embeddingFileName(method: string, dims: number, ext: string): string {
  return `${method}-${dims}d.${ext}`;
}

export function formatEmbeddingCsv(
  coords: Float32Array,
  dims: number,
  labels: PointLabels | null,
  n: number,
): string {
  const header = [
    'x',
    'y',
    ...(dims === 3 ? ['z'] : []),
    'path',
    'label_name',
    'pred_name',
    'correct',
    'confidence',
    ...(labels?.domains ? ['domain'] : []),
  ];
  function* rows(): Generator<CsvValue[]> {
    for (let i = 0; i < n; i++) {
      const row: CsvValue[] = [];
      for (let d = 0; d < dims; d++) row.push(float32String(coords[i * dims + d]));
      if (!labels) {
        row.push('', '', '', '', '');
      } else {
        const l = labels.labelIds[i];
        const p = labels.predIds ? labels.predIds[i] : -1;
        row.push(
          labels.paths[i],
          l >= 0 ? labels.classes[l] : '',
          p >= 0 ? labels.classes[p] : '',
          l >= 0 && p >= 0 ? String(l === p) : '',
          labels.predConf ? float32String(labels.predConf[i]) : '',
        );
        if (labels.domains) row.push(labels.domains.names[labels.domains.ids[i]]);
      }
      yield row;
    }
  }
  return formatCsv(header, rows());
}

/** Reads the coordinates back from a coordinate table. */
export function parseEmbeddingCsv(text: string, dims: number, source: string): Float32Array {
  const { header, records } = parseCsvRecords(text);
  const axes = ['x', 'y', 'z'].slice(0, dims);
  if (!axes.every((a) => header.includes(a)))
    throw new UserError(`${source} lacks the columns ${axes.join(', ')}.`);
  const out = new Float32Array(records.length * dims);
  records.forEach((r, i) => {
    axes.forEach((a, d) => {
      out[i * dims + d] = Number(r[a]);
    });
  });
  return out;
}
