import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { commitPart, isPartDone, removeStalePartTemps } from '../../src/pipeline/part.js';

const spec = { index: 1, count: 3 };

test('two writers of one part: one rename wins, the other keeps the winner and discards its copy', async () => {
  const out = mkdtempSync(join(tmpdir(), 'fs-part-'));
  mkdirSync(join(out, 'parts'));
  // Both writers fill their temporary folders before either commits: the race is forced, not hoped for.
  let filled = 0;
  let release!: () => void;
  const bothFilled = new Promise<void>((r) => (release = r));
  const writer = (who: string) => async (tmp: string) => {
    writeFileSync(join(tmp, 'who.txt'), who);
    if (++filled === 2) release();
    await bothFilled;
  };
  const outcomes = await Promise.all([
    commitPart(out, spec, writer('a')),
    commitPart(out, spec, writer('b')),
  ]);
  assert.deepEqual([...outcomes].sort(), ['taken', 'written']);
  const winner = outcomes[0] === 'written' ? 'a' : 'b';
  assert.deepEqual(readdirSync(join(out, 'parts')), ['part-1-of-3']);
  assert.equal(readFileSync(join(out, 'parts', 'part-1-of-3', 'who.txt'), 'utf8'), winner);
  assert.ok(await isPartDone(join(out, 'parts', 'part-1-of-3')));
});

test('a writer that fails leaves no folder; a folder without the DONE marker is replaced, and said so', async () => {
  const out = mkdtempSync(join(tmpdir(), 'fs-part-'));
  mkdirSync(join(out, 'parts'));
  await assert.rejects(
    commitPart(out, spec, async () => {
      throw new Error('disk full');
    }),
    /disk full/,
  );
  assert.deepEqual(readdirSync(join(out, 'parts')), []);
  const dir = join(out, 'parts', 'part-1-of-3');
  mkdirSync(dir);
  writeFileSync(join(dir, 'predictions.csv'), 'path,la');
  const replaced: string[] = [];
  const outcome = await commitPart(
    out,
    spec,
    async (tmp) => writeFileSync(join(tmp, 'predictions.csv'), 'path\n'),
    (d) => replaced.push(d),
  );
  assert.equal(outcome, 'written');
  assert.deepEqual(replaced, [dir]);
  assert.equal(readFileSync(join(dir, 'predictions.csv'), 'utf8'), 'path\n');
});

test('stale temporary parts of dead processes on this host are removed; live ones and other hosts are kept', async () => {
  const out = mkdtempSync(join(tmpdir(), 'fs-part-'));
  const parts = join(out, 'parts');
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const names = {
    dead: `.part-0-of-2.tmp-${hostname()}-${deadPid}-0123abcd`,
    live: `.part-1-of-2.tmp-${hostname()}-${process.pid}-0123abcd`,
    // A dead pid here, but of another host: its process may still be writing there.
    elsewhere: `.part-1-of-2.tmp-other-node-7-${deadPid}-89abcdef`,
  };
  for (const n of Object.values(names)) {
    mkdirSync(join(parts, n), { recursive: true });
    writeFileSync(join(parts, n, 'features.npy'), 'half');
  }
  assert.deepEqual(await removeStalePartTemps(out), [names.dead]);
  assert.deepEqual(readdirSync(parts).sort(), [names.elsewhere, names.live].sort());
});
