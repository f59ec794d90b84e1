/** `featscope run` end to end on a small subset: every output, then a cached re-run that skips inference. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';

test('featscope run writes every output, and a re-run reuses inference and unchanged embeddings', async () => {
  const data = exampleSubset(6);
  const out = mkdtempSync(join(tmpdir(), 'fs-run-'));
  const args = [
    'run',
    '--model',
    join(EXAMPLE, 'model.onnx'),
    '--data',
    data,
    '--out',
    out,
    '--perplexity',
    '10',
  ];
  const first = await runCli(args);
  assert.equal(first.code, 0, first.stderr);
  const files = readdirSync(out).sort();
  for (const f of [
    'predictions.csv',
    'features.npy',
    'tsne-2d.csv',
    'tsne-3d.csv',
    'tsne-2d.png',
    'tsne-2d.svg',
    'tsne-2d.pdf',
    'tsne-2d.html',
    'tsne-3d.html',
    'index.html',
    'run.json',
  ]) {
    assert.ok(files.includes(f), `${f} missing`);
  }
  assert.ok(files.every((f) => !f.endsWith('.tmp')));
  const m1 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(m1.data.n, 60);
  assert.ok(m1.metrics.embeddings['tsne-2d'].trustworthiness > 0.85);
  assert.equal(readFileSync(join(out, 'tsne-2d.csv'), 'utf8').trim().split('\n').length, 61);
  // One P for both maps (the 3D map is given the 2D map's), and the pages' neighbours from its kNN graph.
  const resolvedOf = (m: typeof m1, name: string) =>
    m.embeddings.find((e: { name: string }) => e.name === name).resolved;
  assert.equal(resolvedOf(m1, 'tsne-2d').affinities, 'computed');
  assert.equal(resolvedOf(m1, 'tsne-3d').affinities, 'given');
  assert.equal(m1.pageNeighbors.from, 'tsne-graph');
  assert.equal(m1.pageNeighbors.space, 'pca-50');
  assert.equal(m1.pageNeighbors.k, 8);
  // Both maps' metrics, measured together after the maps, are in run.json's map records too.
  for (const e of m1.embeddings) assert.ok(e.metrics.trustworthiness > 0.85, e.name);

  const second = await runCli([...args, '--dims', '2', '--no-thumbnails']);
  assert.equal(second.code, 0, second.stderr);
  const m2 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(m2.reused.classify, 'inference reused');
  assert.ok(m2.reused['tsne-2d'], 'unchanged embedding reused');
  // No t-SNE ran: the pages' neighbours come from a search of their own, over the features.
  assert.equal(m2.pageNeighbors.from, 'search');
  assert.equal(m2.pageNeighbors.space, 'features');

  // The same images as an unlabelled CSV list: same features, so the map is reused, but its table
  // must carry this run's labels (none), not the previous run's.
  const before = readFileSync(join(out, 'tsne-2d.csv'), 'utf8').trim().split('\n');
  const list = join(data, 'list.csv');
  writeFileSync(
    list,
    `path\n${before
      .slice(1)
      .map((l) => l.split(',')[2])
      .join('\n')}\n`,
  );
  const third = await runCli([...args.slice(0, 4), list, ...args.slice(5), '--dims', '2', '--no-thumbnails']);
  assert.equal(third.code, 0, third.stderr);
  const m3 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(m3.reused['tsne-2d'], 'same features: embedding reused');
  const after = readFileSync(join(out, 'tsne-2d.csv'), 'utf8').trim().split('\n');
  const col = (lines: string[], name: string) => {
    const i = lines[0].split(',').indexOf(name);
    return lines.slice(1).map((l) => l.split(',')[i]);
  };
  assert.deepEqual(col(after, 'x'), col(before, 'x'));
  assert.ok(col(before, 'label_name').every((v) => v !== ''));
  assert.ok(
    col(after, 'label_name').every((v) => v === ''),
    'labels of this run, not the last',
  );
  assert.equal(m3.metrics.embeddings['tsne-2d'].knnLabelAccuracy, null);
});
