/**
 * Preemption: a part stopped by SIGTERM (what Slurm and Kubernetes send first) stops like Ctrl-C, and
 * a part killed outright (SIGKILL) leaves nothing a re-run trips on. The signals are sent when stderr
 * shows that inference has started, never after a delay; the parts are long enough (1,000 images, one
 * per batch) that the signal always lands inside inference.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { EXAMPLE } from '../helpers/example-subset.js';
import { assertSameClassify, classifyWhole, finishedParts, MODEL } from '../helpers/shards.js';

const DATA = join(EXAMPLE, 'data'); // 2,000 images

test('SIGTERM and SIGKILL during inference leave no part; the re-run makes whole parts that merge into one classify', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fs-preempt-'));
  const out = join(tmp, 'out');
  const part = (i: number, signal?: NodeJS.Signals) =>
    runCli(
      // One image per batch while a signal is to land in inference; the batch size is not part of a part's identity.
      [
        'classify',
        '--model',
        MODEL,
        '--data',
        DATA,
        '--out',
        out,
        '--shard',
        `${i}/2`,
        ...(signal ? ['--batch-size', '1'] : []),
      ],
      signal ? { signal, signalWhen: (stderr) => /^classify: 1000 images$/m.test(stderr) } : {},
    );
  const [term, kill] = await Promise.all([part(0, 'SIGTERM'), part(1, 'SIGKILL')]);
  assert.equal(term.code, 143, term.stderr);
  assert.match(term.stderr, /stopping on SIGTERM/);
  assert.match(term.stderr, /featscope: interrupted \(SIGTERM\)/);
  assert.ok(!hasStackTrace(term.stderr), term.stderr);
  assert.equal(kill.code, null, 'killed by the signal');
  assert.deepEqual(finishedParts(out), [], 'no part, finished or half-written');

  // What a kill during the commit itself can leave: a temporary folder of a dead process on this host,
  // and a part folder without its DONE marker (copied in by hand, say).
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const stale = `.part-1-of-2.tmp-${hostname()}-${deadPid}-0123abcd`;
  mkdirSync(join(out, 'parts', stale));
  writeFileSync(join(out, 'parts', stale, 'features.npy'), 'half');
  mkdirSync(join(out, 'parts', 'part-0-of-2'));
  writeFileSync(join(out, 'parts', 'part-0-of-2', 'predictions.csv'), 'path,label_id\n');

  const whole = join(tmp, 'whole');
  const [again0, again1] = await Promise.all([part(0), part(1), classifyWhole(DATA, whole)]);
  assert.equal(again0.code, 0, again0.stderr);
  assert.equal(again1.code, 0, again1.stderr);
  const warnings = again0.stderr + again1.stderr;
  assert.match(
    warnings,
    new RegExp(`removed .*${stale.replaceAll('.', '\\.')}, left by a process killed while it was committing`),
  );
  assert.match(warnings, /replaced .*part-0-of-2, an unfinished part folder \(no DONE marker\)/);
  assert.deepEqual(finishedParts(out), ['part-0-of-2', 'part-1-of-2']);
  const merged = await runCli(['merge', '--out', out]);
  assert.equal(merged.code, 0, merged.stderr);
  assertSameClassify(out, whole);
});
