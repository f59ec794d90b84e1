/** `featscope run` end to end on a small subset: every output, then a cached re-run that skips inference. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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

  const second = await runCli([...args, '--dims', '2', '--no-thumbnails']);
  assert.equal(second.code, 0, second.stderr);
  const m2 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(m2.reused.classify, 'inference reused');
  assert.ok(m2.reused['tsne-2d'], 'unchanged embedding reused');
});
