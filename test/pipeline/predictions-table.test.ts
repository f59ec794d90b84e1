/**
 * predictions.csv is written and read as a stream (a 50,000 x 1,000 table is larger than a string
 * can be): the streamed bytes equal the one-string formatter of featscope 0.1 on small tables, and a
 * table many read/write chunks long round-trips into the same typed arrays.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CsvValue, formatCsv, parseCsv } from '../../src/io/csv.js';
import { float32StringExact } from '../../src/pipeline/format.js';
import {
  formatPredictionsCsv,
  type Predictions,
  predictionsChunks,
  readPredictionsCsv,
  writePredictionsCsv,
} from '../../src/pipeline/predictions-table.js';
import { rng } from '../render/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-predictions-'));

/** Random predictions: softmax-like rows, top-k sorted, some hostile names, optional unlabelled rows. */
function randomPredictions(n: number, C: number, k: number, seed: number, unlabelled = 0): Predictions {
  const r = rng(seed);
  const hostile = ['plain', 'a,b', 'say "hi"', ' padded', 'line\nbreak', '猫', 'ünï'];
  const classes = Array.from({ length: C }, (_, c) => `${hostile[c % hostile.length]} ${c}`);
  const probs = new Float32Array(n * C);
  const topIds = new Int32Array(n * k);
  const topConf = new Float32Array(n * k);
  const labelIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < C; c++) sum += probs[i * C + c] = Math.exp(8 * r());
    for (let c = 0; c < C; c++) probs[i * C + c] /= sum;
    const order = Array.from({ length: C }, (_, c) => c).sort((a, b) => probs[i * C + b] - probs[i * C + a]);
    for (let j = 0; j < k; j++) {
      topIds[i * k + j] = order[j];
      topConf[i * k + j] = probs[i * C + order[j]];
    }
    labelIds[i] = r() < unlabelled ? -1 : Math.floor(r() * C);
  }
  const paths = Array.from({ length: n }, (_, i) => `${classes[Math.max(labelIds[i], 0)]}/img,${i}.png`);
  return { paths, labelIds, classes, k, topIds, topConf, probs };
}

/** The formatter of featscope 0.1 (one string, CsvValue rows), kept here as the reference for the bytes. */
function referenceCsv(p: Predictions): string {
  const C = p.classes.length;
  const header = ['path', 'label_id', 'label_name'];
  for (let i = 1; i <= p.k; i++) header.push(`top${i}_id`, `top${i}_name`, `top${i}_confidence`);
  header.push('topk_correct', ...p.classes.map((c) => `conf_${c}`));
  const rows: CsvValue[][] = [];
  for (let i = 0; i < p.paths.length; i++) {
    const label = p.labelIds[i];
    const row: CsvValue[] = [p.paths[i], label, p.classes[label]];
    let hit = false;
    for (let j = 0; j < p.k; j++) {
      const id = p.topIds[i * p.k + j];
      if (id === label) hit = true;
      row.push(id, p.classes[id], float32StringExact(p.topConf[i * p.k + j]));
    }
    row.push(hit ? 'true' : 'false');
    for (let c = 0; c < C; c++) row.push(float32StringExact(p.probs[i * C + c]));
    rows.push(row);
  }
  return formatCsv(header, rows);
}

test('the streamed table is byte for byte the one-string table of featscope 0.1 (labelled sets)', async () => {
  for (const [seed, n, C, k] of [
    [1, 1, 1, 1],
    [2, 7, 3, 3],
    [3, 40, 10, 3],
    [4, 25, 17, 5],
    [5, 60, 2, 1],
  ]) {
    const p = randomPredictions(n, C, k, seed);
    const file = join(dir, `ref-${seed}.csv`);
    await writePredictionsCsv(file, p);
    assert.equal(readFileSync(file, 'utf8'), referenceCsv(p), `seed ${seed}`);
  }
});

test('a table many chunks long round-trips into the same arrays, read as a stream', async () => {
  const p = randomPredictions(1500, 300, 3, 9, 0.1);
  // Small chunks here so the table spans many of them; the writer uses 1 MB chunks the same way.
  const chunks = [...predictionsChunks(p, 64 * 1024)];
  assert.ok(chunks.length > 50, `${chunks.length} write chunks`);
  for (const c of chunks) assert.ok(c.length <= 64 * 1024, 'a piece never holds the whole table');
  assert.equal(Buffer.concat(chunks).toString('utf8'), formatPredictionsCsv(p));
  const file = join(dir, 'big.csv');
  await writePredictionsCsv(file, p);
  const q = await readPredictionsCsv(file);
  assert.deepEqual(q.paths, p.paths);
  assert.deepEqual(q.classes, p.classes);
  assert.equal(q.k, p.k);
  assert.deepEqual(q.labelIds, p.labelIds);
  assert.deepEqual(q.topIds, p.topIds);
  assert.deepEqual(q.topConf, p.topConf); // shortest round-trip decimals give the same float32 back
  assert.deepEqual(q.probs, p.probs);
  assert.equal(q.domains, undefined);
  // Unlabelled rows leave label_id, label_name and topk_correct empty.
  const i = p.labelIds.indexOf(-1);
  const row = parseCsv(readFileSync(file, 'utf8'))[i + 1];
  assert.deepEqual(row.slice(0, 4), [p.paths[i], '', '', String(p.topIds[i * 3])]);
  assert.equal(row[12], '', 'topk_correct');
  const quick = await readPredictionsCsv(file, { probs: false });
  assert.equal(quick.probs.length, 0);
  assert.deepEqual(quick.topIds, p.topIds);
});

test('several domains add a domain column after path, read back with the names in order', async () => {
  const p = randomPredictions(30, 4, 2, 11);
  p.domains = {
    names: ['source', 'target, B'],
    ids: Int32Array.from({ length: 30 }, (_, i) => (i < 12 ? 0 : 1)),
  };
  const file = join(dir, 'domains.csv');
  await writePredictionsCsv(file, p);
  const [header, first, last] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((_, i) => [0, 1, 30].includes(i));
  assert.ok(header.startsWith('path,domain,label_id,label_name,top1_id'), header);
  assert.match(first, /^[^\n]*\.png",source,/);
  assert.match(last, /^[^\n]*\.png","target, B",/);
  const q = await readPredictionsCsv(file);
  assert.deepEqual(q.domains?.names, ['source', 'target, B']);
  assert.deepEqual(q.domains?.ids, p.domains.ids);
  assert.deepEqual(q.probs, p.probs);
  // One domain is no domain column.
  const single = { ...p, domains: { names: ['only'], ids: new Int32Array(30) } };
  await writePredictionsCsv(file, single);
  assert.ok(readFileSync(file, 'utf8').startsWith('path,label_id,'));
});

test('damaged tables are refused naming the file and the line', async () => {
  const p = randomPredictions(5, 3, 2, 13);
  p.classes = ['a', 'b', 'c'];
  p.paths = p.paths.map((_, i) => `img${i}.png`);
  const good = referenceCsv(p).split('\n');
  const cases: [string, string, RegExp][] = [
    [
      'short.csv',
      [...good.slice(0, 3), good[3].split(',').slice(0, 4).join(','), ''].join('\n'),
      /line 4 has 4 fields but the header has/,
    ],
    [
      'badid.csv',
      [good[0], good[1].replace(/,(\d),/, ',x,'), ''].join('\n'),
      /line 2 has \w+_id "x", not a class id/,
    ],
    [
      'nocols.csv',
      'a,b\n1,2\n',
      /not a featscope predictions table: it lacks the column\(s\) path, label_id/,
    ],
    ['empty.csv', '', /is empty/],
  ];
  for (const [name, text, why] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    await assert.rejects(
      readPredictionsCsv(file),
      (e: Error) => e.name === 'UserError' && why.test(e.message),
      name,
    );
  }
  await assert.rejects(
    readPredictionsCsv(join(dir, 'missing.csv')),
    /Cannot read the predictions table .*ENOENT/,
  );
});
