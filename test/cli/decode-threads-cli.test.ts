/**
 * `--decode-threads`: decoding on worker threads changes nothing in the outputs (byte-identical
 * predictions.csv and features.npy, the same skipped files), run.json records the threads used, and a
 * bad value is a usage error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIN_CORES_FOR_WORKERS } from '../../src/preprocess/prepare-pool.js';
import { assertRefused, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';

const MODEL = join(EXAMPLE, 'model.onnx');

test('--decode-threads 3 writes byte-for-byte the outputs of --decode-threads 1 and records the threads', async () => {
  const data = exampleSubset(3);
  writeFileSync(join(data, 'Bag', 'broken.png'), 'not a png');
  const parent = mkdtempSync(join(tmpdir(), 'fs-decode-threads-'));
  const outs: string[] = [];
  for (const threads of ['1', '3']) {
    const out = join(parent, `t${threads}`);
    const r = await runCli([
      'classify',
      '--model',
      MODEL,
      '--data',
      data,
      '--out',
      out,
      '--batch-size',
      '4',
      '--decode-threads',
      threads,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(manifest.options.decodeThreads, Number(threads));
    assert.equal(manifest.options.executionProvider, 'cpu');
    assert.deepEqual(
      manifest.data.skipped.map((s: { path: string }) => s.path),
      ['Bag/broken.png'],
    );
    outs.push(out);
  }
  for (const f of ['predictions.csv', 'features.npy'])
    assert.ok(readFileSync(join(outs[0], f)).equals(readFileSync(join(outs[1], f))), `${f} differs`);
});

test('--decode-threads auto records in run.json how many threads it chose and why, with the same outputs', async () => {
  const data = exampleSubset(7); // 70 image files: enough for workers
  const few = exampleSubset(2);
  const parent = mkdtempSync(join(tmpdir(), 'fs-decode-threads-auto-'));
  const classify = (d: string, out: string, threads: string) =>
    runCli([
      'classify',
      '--model',
      MODEL,
      '--data',
      d,
      '--out',
      out,
      '--batch-size',
      '16',
      '--decode-threads',
      threads,
    ]);
  const plans: Record<string, { options: Record<string, unknown> }> = {};
  for (const [name, d, threads] of [
    ['auto', data, 'auto'],
    ['one', data, '1'],
    ['few', few, 'auto'],
  ] as const) {
    const r = await classify(d, join(parent, name), threads);
    assert.equal(r.code, 0, r.stderr);
    plans[name] = JSON.parse(readFileSync(join(parent, name, 'run.json'), 'utf8'));
  }
  const auto = plans.auto.options;
  const plan = auto.decodePlan as Record<string, number | string>;
  assert.equal(plan.decodeThreads, auto.decodeThreads);
  if (availableParallelism() < MIN_CORES_FOR_WORKERS) {
    // Too few cores for workers to pay: no worker, and run.json says why.
    assert.equal(plan.from, 'few-cores');
    assert.equal(plan.decodeThreads, 1);
    assert.match(String(plan.reason), /cores \(fewer than \d+\)/);
  } else {
    assert.equal(plan.from, 'measured');
    assert.ok(Number(plan.decodeThreads) >= 1 && Number(plan.decodeThreads) <= availableParallelism());
    for (const k of ['decodeMsPerImage', 'inferMsPerImage'])
      assert.ok(Number(plan[k]) > 0, `${k}: ${plan[k]}`);
    assert.ok(Number(plan.decodeShare) > 0 && Number(plan.decodeShare) < 1, String(plan.decodeShare));
    assert.match(String(plan.reason), /of the CPU work per image/);
  }
  assert.deepEqual(plans.one.options.decodePlan, {
    decodeThreads: 1,
    from: 'option',
    reason: '--decode-threads given',
  });
  assert.equal((plans.few.options.decodePlan as { from: string }).from, 'few-files');
  assert.equal(plans.few.options.decodeThreads, 1);
  for (const f of ['predictions.csv', 'features.npy'])
    assert.ok(
      readFileSync(join(parent, 'auto', f)).equals(readFileSync(join(parent, 'one', f))),
      `${f} differs`,
    );
});

for (const bad of ['0', 'many', '1.5']) {
  test(`--decode-threads ${bad} is a usage error`, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fs-decode-threads-bad-')), 'out');
    const r = await runCli([
      'classify',
      '--model',
      MODEL,
      '--data',
      join(EXAMPLE, 'data'),
      '--out',
      out,
      '--decode-threads',
      bad,
    ]);
    assertRefused({ ...r, out }, /--decode-threads must be a whole number >= 1 or auto/, 2);
  });
}
