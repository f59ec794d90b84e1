/**
 * examples/cluster/featscope-indexed-job.yaml, the Kubernetes Indexed Job: its pods are run here as local
 * processes, each with the manifest's command and its own JOB_COMPLETION_INDEX (what Kubernetes sets),
 * the manifest's paths replaced by the test's; merged, they give the single-machine classify.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { exampleSubset } from '../helpers/example-subset.js';
import { assertSameClassify, classifyWhole, finishedParts, MODEL } from '../helpers/shards.js';

const MANIFEST = join(import.meta.dirname, '..', '..', 'examples', 'cluster', 'featscope-indexed-job.yaml');

test('the Indexed Job runs classify --shard auto/N on N completions; its pods merge into the single-machine result', async () => {
  const job = parse(readFileSync(MANIFEST, 'utf8'));
  assert.equal(job.apiVersion, 'batch/v1');
  assert.equal(job.kind, 'Job');
  assert.equal(job.spec.completionMode, 'Indexed');
  const n = job.spec.completions as number;
  assert.equal(job.spec.parallelism, n, 'every part runs at once');
  const [container] = job.spec.template.spec.containers;
  const command = container.command as string[];
  assert.deepEqual(command.slice(0, 2), ['featscope', 'classify']);
  const value = (flag: string) => command[command.indexOf(flag) + 1];
  assert.equal(value('--shard'), `auto/${n}`, 'the N of --shard auto/N is the number of completions');
  const out = value('--out');
  assert.ok(
    container.volumeMounts.some((m: { mountPath: string }) => out.startsWith(m.mountPath)),
    'OUT is on the shared volume',
  );

  // The pods, as local processes: the manifest's arguments with this test's model, data and output folder.
  const data = exampleSubset(4);
  const tmp = mkdtempSync(join(tmpdir(), 'fs-k8s-'));
  const local: Record<string, string> = { '--model': MODEL, '--data': data, '--out': join(tmp, 'out') };
  const args = command.slice(1).map((a, i, all) => local[all[i - 1]] ?? a);
  const pods = await Promise.all(
    Array.from({ length: n }, (_, index) =>
      runCli(args, { env: { JOB_COMPLETION_INDEX: String(index), SLURM_ARRAY_TASK_ID: '' } }),
    ),
  );
  pods.forEach((p, index) => {
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, new RegExp(`^part ${index} of ${n} \\(rows `, 'm'));
  });
  assert.deepEqual(
    finishedParts(local['--out']),
    Array.from({ length: n }, (_, i) => `part-${i}-of-${n}`),
  );
  const whole = join(tmp, 'whole');
  await classifyWhole(data, whole);
  const merged = await runCli(['merge', '--out', local['--out']]);
  assert.equal(merged.code, 0, merged.stderr);
  assertSameClassify(local['--out'], whole);
});
