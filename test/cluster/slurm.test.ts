/**
 * A real scheduler: a one-node Slurm cluster (test/helpers/slurm.ts) runs examples/cluster/featscope.sbatch
 * as a 4-task array over 40 images with `--shard auto`; `featscope merge` then gives byte-for-byte the
 * single-machine classify, and re-submitting the array skips every finished part.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { exampleSubset } from '../helpers/example-subset.js';
import { assertSameClassify, classifyWhole, finishedParts, MODEL } from '../helpers/shards.js';
import { startSlurm, submitAndWait } from '../helpers/slurm.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SBATCH = join(ROOT, 'examples', 'cluster', 'featscope.sbatch');
const CLI = join(ROOT, 'test', 'helpers', 'cli-entry.ts');

test('a Slurm array of classify --shard auto merges into the single-machine result; re-submitting skips the parts', async () => {
  const data = exampleSubset(4);
  const cluster = await startSlurm();
  try {
    const whole = join(cluster.dir, 'whole');
    const out = join(cluster.dir, 'out');
    const logs = join(cluster.dir, 'logs');
    const env = {
      ...cluster.env,
      // How the nodes start featscope: the CLI from source, as the other CLI tests run it.
      FEATSCOPE: `${process.execPath} --import tsx ${CLI}`,
      FEATSCOPE_DEBUG: '',
    };
    const submit = () =>
      submitAndWait(
        [
          '--array=0-3',
          `--chdir=${ROOT}`,
          `--output=${logs}-%A_%a.log`,
          '--cpus-per-task=1',
          SBATCH,
          MODEL,
          data,
          out,
        ],
        env,
        () => taskLogs().join('\n'),
      );
    const taskLogs = (job?: string) =>
      readdirSync(cluster.dir)
        .filter((f) => f.startsWith('logs-') && (!job || f.startsWith(`logs-${job}_`)))
        .sort()
        .map((f) => `--- ${f}\n${readFileSync(join(cluster.dir, f), 'utf8')}`);
    const [job] = await Promise.all([submit(), classifyWhole(data, whole)]);
    const first = taskLogs(job);
    assert.equal(first.length, 4, first.join('\n'));
    first.forEach((log, i) =>
      assert.match(
        log,
        new RegExp(`part ${i} of 4 \\(rows ${i * 10}\\.\\.${i * 10 + 9} of 40\\): classified 10 images`),
        log,
      ),
    );
    assert.deepEqual(finishedParts(out), ['part-0-of-4', 'part-1-of-4', 'part-2-of-4', 'part-3-of-4']);
    const parts = readdirSync(join(out, 'parts')).map((p) =>
      JSON.parse(readFileSync(join(out, 'parts', p, 'run.json'), 'utf8')),
    );
    assert.ok(
      parts.every((m) => m.options.threads === 1),
      'one thread per CPU Slurm gave the task',
    );

    const merged = await runCli(['merge', '--out', out]);
    assert.equal(merged.code, 0, merged.stderr);
    assertSameClassify(out, whole);

    const again = taskLogs(await submit());
    assert.equal(again.length, 4);
    again.forEach((log, i) => {
      assert.match(
        log,
        new RegExp(`part ${i} of 4 .* is already done in .*part-${i}-of-4; skipping it`),
        log,
      );
      assert.ok(!/^classify: /m.test(log), 'no inference on the re-submission');
    });
    assertSameClassify(out, whole);
  } finally {
    await cluster.stop();
  }
});
