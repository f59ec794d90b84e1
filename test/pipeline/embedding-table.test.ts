/** Map tables: streamed bytes equal the one-string format, domains add a last column, reading is by header name. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type CsvValue, formatCsv } from '../../src/io/csv.js';
import { type PointLabels, readEmbeddingCsv, writeEmbeddingCsv } from '../../src/pipeline/embedding-table.js';
import { float32StringExact } from '../../src/pipeline/format.js';
import { seededFloats } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-map-table-'));
const n = 9;
const labels: PointLabels = {
  paths: Array.from({ length: n }, (_, i) => `dir, ${i}/"img".png`),
  classes: ['cat', 'dog, big', 'émeu'],
  labelIds: Int32Array.from({ length: n }, (_, i) => (i === 4 ? -1 : i % 3)),
  predIds: Int32Array.from({ length: n }, (_, i) => (i * 2) % 3),
  predConf: seededFloats(n, 3, 1).map(Math.abs),
};

/** The one-string formatter of featscope 0.1, as the reference for the bytes. */
function reference(coords: Float32Array, dims: number): string {
  const rows: CsvValue[][] = [];
  for (let i = 0; i < n; i++) {
    const l = labels.labelIds[i];
    const p = labels.predIds![i];
    rows.push([
      ...Array.from(coords.subarray(i * dims, (i + 1) * dims), float32StringExact),
      labels.paths[i],
      l >= 0 ? labels.classes[l] : '',
      labels.classes[p],
      l >= 0 ? String(l === p) : '',
      float32StringExact(labels.predConf![i]),
    ]);
  }
  return formatCsv(
    ['x', 'y', 'z'].slice(0, dims).concat(['path', 'label_name', 'pred_name', 'correct', 'confidence']),
    rows,
  );
}

test('map tables keep their bytes, and read back by column name, domains included', async () => {
  for (const dims of [2, 3]) {
    const coords = seededFloats(n * dims, dims, 50);
    const file = join(dir, `map-${dims}d.csv`);
    await writeEmbeddingCsv(file, coords, dims, labels, n);
    assert.equal(readFileSync(file, 'utf8'), reference(coords, dims));
    const t = await readEmbeddingCsv(file, dims, file);
    assert.deepEqual(t.coords, coords);
    assert.deepEqual(t.paths, labels.paths);
    assert.equal(t.labelNames?.[4], '');
    assert.equal(t.labelNames?.[1], 'dog, big');
    assert.equal(t.domains, null);
  }
  const coords = seededFloats(n * 2, 7, 5);
  const file = join(dir, 'domains.csv');
  const ids = Int32Array.from({ length: n }, (_, i) => (i < 5 ? 0 : 1));
  await writeEmbeddingCsv(file, coords, 2, { ...labels, domains: { names: ['mnist', 'mnist-m'], ids } }, n);
  assert.ok(
    readFileSync(file, 'utf8').startsWith('x,y,path,label_name,pred_name,correct,confidence,domain\n'),
  );
  const t = await readEmbeddingCsv(file, 2, file);
  assert.deepEqual(
    t.domains,
    Array.from(ids, (d) => ['mnist', 'mnist-m'][d]),
  );
  // Columns are found by name: a table with its columns in another order reads the same.
  writeFileSync(file, 'label_name,y,x\ncat,2,1\ndog,4,3\n');
  const swapped = await readEmbeddingCsv(file, 2, file);
  assert.deepEqual(Array.from(swapped.coords), [1, 2, 3, 4]);
  assert.deepEqual(swapped.labelNames, ['cat', 'dog']);
  writeFileSync(file, 'x,y\n1,oops\n');
  await assert.rejects(readEmbeddingCsv(file, 2, file), /line 2 has y "oops", not a finite number/);
});

test('placed maps: a last set column, read back by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-embedding-set-'));
  const file = join(dir, 'tsne-2d.csv');
  const labels: PointLabels = {
    paths: ['a.png', 'b.png', 'c.png'],
    classes: ['cat', 'dog'],
    labelIds: Int32Array.from([0, 1, -1]),
    predIds: null,
    predConf: null,
    sets: { names: ['reference', 'new'], ids: Int32Array.from([0, 0, 1]) },
  };
  await writeEmbeddingCsv(file, Float32Array.from([1, 2, 3, 4, 5, 6]), 2, labels, 3);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'x,y,path,label_name,pred_name,correct,confidence,set');
  assert.equal(lines[3], '5,6,c.png,,,,,new');
  const t = await readEmbeddingCsv(file, 2, file);
  assert.deepEqual(t.sets, ['reference', 'reference', 'new']);
});
