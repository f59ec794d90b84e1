/**
 * `--shard` and `featscope merge` through the CLI: parts merge into byte-for-byte the single-machine
 * classify, `run` then reuses them, finished parts are skipped, two processes on one part leave one
 * part, and every gap, disagreement or bad value is a clear error.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLASSIFY_DEFAULTS, classifyPart, MODEL_DEFAULTS } from '../../src/index.js';
import { assertRefused, hasStackTrace, runCli } from '../helpers/cli.js';
import { exampleSubset } from '../helpers/example-subset.js';
import { assertSameClassify, classifyWhole, finishedParts, MODEL } from '../helpers/shards.js';

const data = exampleSubset(4); // 40 images, 10 classes
const NO_SCHEDULER = {
  SLURM_ARRAY_TASK_ID: '',
  SLURM_ARRAY_TASK_MIN: '',
  SLURM_ARRAY_TASK_COUNT: '',
  JOB_COMPLETION_INDEX: '',
};
/** Part `index` of 4, made in-process: what `featscope classify --shard index/4` does. */
async function makePart(out: string, index: number, topK: number = CLASSIFY_DEFAULTS.topK): Promise<void> {
  const options = { ...MODEL_DEFAULTS, ...CLASSIFY_DEFAULTS, model: MODEL, data, topK };
  assert.equal(
    (await classifyPart({ classify: { ...options, shard: { index, count: 4 } }, out })).outcome,
    'written',
  );
}
const part = (out: string, shard: string, extra: string[] = [], command = 'classify') =>
  runCli([command, '--model', MODEL, '--data', data, '--out', out, '--shard', shard, ...extra], {
    env: NO_SCHEDULER,
  });

test('parts merge into byte-for-byte the single-machine classify; run reuses them; finished parts are skipped', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fs-shard-'));
  const whole = join(tmp, 'whole');
  const out = join(tmp, 'out');
  // Part 1 is started twice at once, as a Kubernetes replacement pod may be: one complete part is kept.
  const [, first, second] = await Promise.all([
    classifyWhole(data, whole),
    part(out, '1/4'),
    part(out, '1/4'),
    part(out, '0/4'),
    part(out, '2/4'),
    part(out, '3/4'),
  ]);
  for (const r of [first, second]) assert.equal(r.code, 0, r.stderr);
  const wrote = [first, second].filter((r) =>
    /^part 1 of 4 \(rows 10\.\.19 of 40\): classified 10 images/m.test(r.stdout),
  );
  assert.equal(wrote.length, 1, `${first.stdout}\n${second.stdout}`);
  const other = wrote[0] === first ? second : first;
  assert.match(
    other.stderr,
    /another process finished part 1 of 4 .* first; its copy in .* is kept|part 1 of 4 .* is already done/,
  );
  assert.deepEqual(finishedParts(out), ['part-0-of-4', 'part-1-of-4', 'part-2-of-4', 'part-3-of-4']);
  const p1 = JSON.parse(readFileSync(join(out, 'parts', 'part-1-of-4', 'run.json'), 'utf8'));
  assert.deepEqual(
    [p1.shard.index, p1.shard.count, p1.shard.start, p1.shard.end, p1.shard.total],
    [1, 4, 10, 20, 40],
  );
  assert.match(p1.shard.scan, /^[0-9a-f]{64}$/);
  assert.equal(p1.data.n, 10);

  // A finished part is skipped on a re-run, with `run --shard` as with `classify --shard`.
  const again = await part(out, '2/4', ['--no-thumbnails'], 'run');
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stderr,
    /part 2 of 4 \(rows 20\.\.29 of 40\) is already done in .*part-2-of-4; skipping it/,
  );
  assert.match(again.stdout, /featscope merge --out .*, then this command without --shard/);
  assert.ok(!/^classify: /m.test(again.stderr), 'no inference');
  assert.ok(!existsSync(join(out, 'run.json')), 'a part makes no map');

  const merged = await runCli(['merge', '--out', out]);
  assert.equal(merged.code, 0, merged.stderr);
  assert.match(merged.stdout, /merged 4 parts \(40 images\)/);
  assertSameClassify(out, whole);
  const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  const w = JSON.parse(readFileSync(join(whole, 'run.json'), 'utf8'));
  assert.equal(m.command, 'merge');
  assert.deepEqual([m.data.n, m.features.n, m.features.dim], [w.data.n, w.features.n, w.features.dim]);
  assert.deepEqual(
    [m.model, m.data.classes, m.options.preprocess],
    [w.model, w.data.classes, w.options.preprocess],
  );
  assert.deepEqual(
    m.parts.map((p: { start: number; end: number }) => [p.start, p.end]),
    [
      [0, 10],
      [10, 20],
      [20, 30],
      [30, 40],
    ],
  );

  // `run` with the parts' arguments reuses the merged inference and makes the maps.
  const run = await runCli([
    'run',
    '--model',
    MODEL,
    '--data',
    data,
    '--out',
    out,
    '--dims',
    '2',
    '--no-thumbnails',
    '--perplexity',
    '5',
    '--iterations',
    '300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!/^classify: /m.test(run.stderr), 'no inference progress');
  const r = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.ok(r.reused.classify, 'classify reused');
  assert.ok('classify (reused)' in r.stages && !('classify' in r.stages));
  assert.equal(readFileSync(join(out, 'tsne-2d.csv'), 'utf8').trim().split('\n').length, 41);
  assertSameClassify(out, whole);
});

test('merge names the missing, unfinished or disagreeing part', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fs-shard-')), 'out');
  const refusedMerge = async (message: RegExp) => {
    const r = await runCli(['merge', '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(join(out, 'predictions.csv')) && !existsSync(join(out, 'features.npy')));
  };
  await refusedMerge(/no parts to merge: .*parts does not exist\. Run `featscope classify --shard i\/N/);
  // The parts are made in-process (the CLI's own path is tested above); merge runs through the CLI.
  for (const index of [0, 1, 3]) await makePart(out, index);
  await refusedMerge(
    /part part-2-of-4 is missing \(of 4\)\. Run them \(e\.g\. `featscope classify --shard 2\/4 --out/,
  );
  await makePart(out, 2, 2);
  await refusedMerge(
    /part 2 of 4 \(.*part-2-of-4\) disagrees with part 0 on the top-k: 2 against 3\..*delete .*part-2-of-4/,
  );
  // Re-running that part with the others' arguments refuses to reuse or overwrite it.
  const rerun = await part(out, '2/4');
  assert.equal(rerun.code, 1, rerun.stderr);
  assert.match(
    rerun.stderr,
    /part-2-of-4 is a finished part of another run \(other classify options .*\)\. Delete .*parts to redo/,
  );
  // A part file that is not what its run.json says (truncated by a failing disk, say).
  const features = join(out, 'parts', 'part-2-of-4', 'features.npy');
  const part2 = readFileSync(join(out, 'parts', 'part-2-of-4', 'run.json'), 'utf8');
  writeFileSync(join(out, 'parts', 'part-2-of-4', 'run.json'), part2.replace('"topK": 2', '"topK": 3'));
  const npy = readFileSync(join(out, 'parts', 'part-0-of-4', 'features.npy'));
  writeFileSync(features, npy.subarray(0, npy.length - 4));
  await refusedMerge(/part 2 of 4 .* disagrees with part 0 on the classify options \(cache key\)/);
  rmSync(join(out, 'parts', 'part-2-of-4'), { recursive: true });
  await makePart(out, 2);
  writeFileSync(features.replace('part-2', 'part-1'), npy.subarray(0, npy.length - 4));
  await refusedMerge(
    /Cannot merge: .*part-1-of-4\/features\.npy has another size.*Delete .*part-1-of-4 and run that part again/,
  );
  renameSync(join(out, 'parts', 'part-1-of-4', 'DONE'), join(out, 'parts', 'part-1-of-4', 'DONE.old'));
  await refusedMerge(/part part-1-of-4 is not finished \(no DONE marker\) \(of 4\)/);
  mkdirSync(join(out, 'parts', 'part-0-of-2'));
  await refusedMerge(/holds parts of 2 different splits \(of 2, of 4\)/);
  const usage = await runCli(['merge']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /featscope merge needs --out/);
});

test('bad --shard values, missing scheduler variables and more parts than images are refused before any work', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fs-shard-'));
  let i = 0;
  const refused = async (shard: string, message: RegExp, code: number, env: Record<string, string> = {}) => {
    const out = join(tmp, `out-${i++}`);
    const r = await runCli(['classify', '--model', MODEL, '--data', data, '--out', out, '--shard', shard], {
      env: { ...NO_SCHEDULER, ...env },
    });
    assertRefused({ ...r, out }, message, code);
  };
  await Promise.all([
    refused('1-4', /--shard takes i\/N .* \(got "1-4"\)/, 2),
    refused('4/4', /the part index is 0-based, so the 4 parts are 0\/4 \.\. 3\/4/, 2),
    refused('auto', /--shard auto reads the part from a Slurm array job .* not set here/, 2),
    refused('auto/4', /JOB_COMPLETION_INDEX.*not set here/, 2),
    refused('auto/4', /JOB_COMPLETION_INDEX is "7", not a part index in 0\.\.3/, 2, {
      JOB_COMPLETION_INDEX: '7',
    }),
    refused('0/41', /has 40 images, fewer than the 41 parts.*at most 40 parts/, 1),
  ]);
  assert.equal(readdirSync(tmp).filter((n) => existsSync(join(tmp, n, 'parts'))).length, 0);
});
