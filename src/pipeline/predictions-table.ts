/**
 * predictions.csv (DESIGN.md section 2): path, label_id, label_name, top{i}_id/_name/_confidence for
 * i = 1..k, topk_correct, then conf_<class> for every class in index order. Also its reader, used by
 * `featscope reduce --labels` and `featscope plot`.
 */

import { UserError } from '../errors.js';
import { type CsvValue, formatCsv, parseCsvRecords } from '../io/csv.js';
import { float32String } from './format.js';

export interface Predictions {
  paths: string[];
  /** True label id per image (-1 when unknown). */
  labelIds: Int32Array;
  classes: string[];
  k: number;
  topIds: Int32Array;
  topConf: Float32Array;
  /** n x classes softmax probabilities; may be empty when read from a table without conf_ columns. */
  probs: Float32Array;
  /** Several domains only: their names in --data order, and each row's index into them. */
  domains?: { names: string[]; ids: Int32Array };
}

export function predictionsHeader(classes: readonly string[], k: number, domains = false): string[] {
  const h = domains ? ['path', 'domain', 'label_id', 'label_name'] : ['path', 'label_id', 'label_name'];
  for (let i = 1; i <= k; i++) h.push(`top${i}_id`, `top${i}_name`, `top${i}_confidence`);
  h.push('topk_correct');
  for (const c of classes) h.push(`conf_${c}`);
  return h;
}

export function formatPredictionsCsv(p: Predictions): string {
  const C = p.classes.length;
  const n = p.paths.length;
  function* rows(): Generator<CsvValue[]> {
    for (let i = 0; i < n; i++) {
      const label = p.labelIds[i];
      const row: CsvValue[] = [p.paths[i], label >= 0 ? label : '', label >= 0 ? p.classes[label] : ''];
      if (p.domains) row.splice(1, 0, p.domains.names[p.domains.ids[i]]);
      let hit = false;
      for (let j = 0; j < p.k; j++) {
        const id = p.topIds[i * p.k + j];
        if (id === label) hit = true;
        row.push(id, p.classes[id], float32String(p.topConf[i * p.k + j]));
      }
      row.push(label < 0 ? '' : hit ? 'true' : 'false');
      for (let c = 0; c < C; c++) row.push(float32String(p.probs[i * C + c]));
      yield row;
    }
  }
  return formatCsv(predictionsHeader(p.classes, p.k, p.domains !== undefined), rows());
}

/** Reads predictions.csv back; `source` names the file in errors. */
export function parsePredictionsCsv(text: string, source: string): Predictions {
  const { header, records } = parseCsvRecords(text);
  const need = ['path', 'label_id', 'label_name', 'top1_id', 'top1_name', 'top1_confidence'];
  const missing = need.filter((h) => !header.includes(h));
  if (missing.length > 0) {
    throw new UserError(
      `${source} is not a featscope predictions table: it lacks the column(s) ${missing.join(', ')}.`,
    );
  }
  let k = 0;
  while (header.includes(`top${k + 1}_id`)) k++;
  const confCols = header.filter((h) => h.startsWith('conf_'));
  const classes = confCols.map((h) => h.slice(5));
  const n = records.length;
  const labelIds = new Int32Array(n);
  const topIds = new Int32Array(n * k);
  const topConf = new Float32Array(n * k);
  const probs = new Float32Array(n * classes.length);
  records.forEach((r, i) => {
    labelIds[i] = r.label_id === '' ? -1 : Number(r.label_id);
    for (let j = 0; j < k; j++) {
      topIds[i * k + j] = Number(r[`top${j + 1}_id`]);
      topConf[i * k + j] = Number(r[`top${j + 1}_confidence`]);
      const name = r[`top${j + 1}_name`];
      if (classes.length === 0 || topIds[i * k + j] >= classes.length) classes[topIds[i * k + j]] ??= name;
    }
    confCols.forEach((c, ci) => {
      probs[i * confCols.length + ci] = Number(r[c]);
    });
  });
  const preds: Predictions = {
    paths: records.map((r) => r.path),
    labelIds,
    classes,
    k,
    topIds,
    topConf,
    probs,
  };
  if (header.includes('domain')) {
    const names: string[] = [];
    const ids = Int32Array.from(records, (r) => {
      const at = names.indexOf(r.domain);
      return at >= 0 ? at : names.push(r.domain) - 1;
    });
    preds.domains = { names, ids };
  }
  return preds;
}
