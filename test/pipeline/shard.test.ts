import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { partName, resolveShard, shardRange, shardRows } from '../../src/pipeline/shard.js';

test('shards are contiguous, cover the scan once, in order, and differ in size by at most one', () => {
  for (const n of [1, 7, 40, 1000, 50_000]) {
    for (const N of [1, 2, 3, 4, 7, 16]) {
      if (N > n) continue;
      let next = 0;
      const sizes: number[] = [];
      for (let i = 0; i < N; i++) {
        const { start, end } = shardRange(n, { index: i, count: N });
        assert.equal(start, next, `n=${n} N=${N} i=${i}`);
        assert.equal(start, Math.floor((i * n) / N));
        sizes.push(end - start);
        next = end;
      }
      assert.equal(next, n);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${sizes}`);
      assert.ok(Math.min(...sizes) >= 1);
    }
  }
  assert.deepEqual(shardRows({ index: 1, count: 4 }, 10, 'data'), {
    index: 1,
    count: 4,
    start: 2,
    end: 5,
    total: 10,
  });
  assert.equal(partName({ index: 3, count: 8 }), 'part-3-of-8');
});

test('more parts than images is refused, naming the most parts that fit', () => {
  assert.throws(
    () => shardRows({ index: 0, count: 5 }, 3, 'DATA'),
    (e: unknown) =>
      e instanceof UserError && /DATA has 3 images, fewer than the 5 parts.*at most 3 parts/.test(e.message),
  );
});

test('i/N, auto (Slurm array) and auto/N (Kubernetes Indexed Job) resolve to a 0-based part', () => {
  assert.deepEqual(resolveShard('2/4', {}), { index: 2, count: 4 });
  assert.deepEqual(resolveShard(' 0/1 ', {}), { index: 0, count: 1 });
  // Slurm: --array=5-8 is four tasks; task 7 is part 2.
  const slurm = { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '4' };
  assert.deepEqual(resolveShard('auto', slurm), { index: 2, count: 4 });
  assert.deepEqual(resolveShard('auto/6', { JOB_COMPLETION_INDEX: '5' }), { index: 5, count: 6 });
});

test('bad --shard values and missing scheduler variables are usage errors that say what to do', () => {
  const refused = (text: string, env: NodeJS.ProcessEnv, message: RegExp) =>
    assert.throws(
      () => resolveShard(text, env),
      (e: unknown) => e instanceof UserError && e.exitCode === 2 && message.test(e.message),
      text,
    );
  for (const bad of ['x', '1', '1/', '/4', '-1/4', '1.5/4', '1/4/2', 'auto/', 'auto/x', ''])
    refused(bad, {}, /--shard takes i\/N .* \(got ".*"\)/);
  refused('4/4', {}, /0-based, so the 4 parts are 0\/4 \.\. 3\/4/);
  refused('0/0', {}, /at least 1/);
  refused(
    'auto',
    {},
    /SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT are not set.*sbatch --array/,
  );
  refused(
    'auto',
    { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' },
    /SLURM_ARRAY_TASK_MIN is not set/,
  );
  // --array=0-6:2: tasks 0, 2, 4, 6 (count 4); task 6 is not part 6 of 4.
  refused(
    'auto',
    { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4' },
    /must be contiguous/,
  );
  refused(
    'auto',
    { SLURM_ARRAY_TASK_ID: 'a', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4' },
    /not whole numbers/,
  );
  refused('auto/4', {}, /JOB_COMPLETION_INDEX.*not set.*Indexed Job/);
  refused(
    'auto/4',
    { JOB_COMPLETION_INDEX: '4' },
    /JOB_COMPLETION_INDEX is "4", not a part index in 0\.\.3.*completions/,
  );
});
