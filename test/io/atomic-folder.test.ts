import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeStaleTemps, writeFolderAtomic } from '../../src/io/atomic.js';

function* files(n: number, failAt = -1): Generator<{ path: string; data: Uint8Array }> {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error('stopped');
    yield { path: `${Math.floor(i / 10)}/${i}.bin`, data: Buffer.from(`file ${i}`) };
  }
}

test('writeFolderAtomic writes nested files, replaces the old folder whole, and leaves no temporary folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'featscope-atomic-folder-'));
  const target = join(dir, 'thumbnails');
  mkdirSync(join(target, '9'), { recursive: true });
  writeFileSync(join(target, '9', 'old.bin'), 'old');
  await writeFolderAtomic(target, files(35), 4); // batches of 4: the event loop runs between them
  assert.deepEqual(readdirSync(target).sort(), ['0', '1', '2', '3']);
  assert.equal(readdirSync(join(target, '3')).length, 5);
  assert.equal(readFileSync(join(target, '2', '27.bin'), 'utf8'), 'file 27');
  assert.deepEqual(readdirSync(dir), ['thumbnails']);

  // A failure part-way leaves the previous folder as it was, and nothing else.
  await assert.rejects(writeFolderAtomic(target, files(35, 20), 4), /stopped/);
  assert.equal(readFileSync(join(target, '2', '27.bin'), 'utf8'), 'file 27');
  assert.deepEqual(readdirSync(dir), ['thumbnails']);

  // A temporary folder of a process that is gone (kill -9) is cleared by the next run.
  mkdirSync(join(dir, '.thumbnails.999999999.0123abcd.tmp', '0'), { recursive: true });
  writeFileSync(join(dir, '.thumbnails.999999999.0123abcd.tmp', '0', '1.bin'), 'x');
  assert.deepEqual(await removeStaleTemps(dir), ['.thumbnails.999999999.0123abcd.tmp']);
  assert.deepEqual(readdirSync(dir), ['thumbnails']);
});
