/**
 * Decode threads: a PreparePool gives the very values of the calling thread's prepareImage for every
 * kind of fixture image (JPEG, CMYK JPEG, grey/palette/16-bit/RGBA PNG), keeps an error's code, and
 * `decodeThreads: 'auto'` resolves in one place.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareImage } from '../../src/preprocess/image-tensor.js';
import { resolvePreprocess } from '../../src/preprocess/options.js';
import {
  MIN_CORES_FOR_WORKERS,
  MIN_FILES_FOR_WORKERS,
  PreparePool,
  resolveDecodeThreads,
} from '../../src/preprocess/prepare-pool.js';

const IMAGES = join(import.meta.dirname, '..', 'fixtures', 'images');
const files = readdirSync(IMAGES)
  .sort()
  .map((f) => join(IMAGES, f));

test('two decode threads give bit-identical tensors to the calling thread, in any completion order', async () => {
  const pre = resolvePreprocess({ preset: 'imagenet' }, { channels: 3, height: null, width: null });
  const pool = await PreparePool.create(2, pre);
  try {
    assert.equal(pool.threads, 2);
    const got = await Promise.all(files.map((f) => pool.prepare(f)));
    for (let i = 0; i < files.length; i++) {
      const want = await prepareImage(readFileSync(files[i]), pre);
      assert.equal(got[i].width, 224, files[i]);
      assert.equal(got[i].height, 224, files[i]);
      assert.deepEqual(
        new Uint8Array(got[i].data.buffer),
        new Uint8Array(want.data.buffer),
        `${files[i]}: values differ from the calling thread's`,
      );
    }
  } finally {
    await pool.close();
  }
});

test('a decode thread passes on the error code of a missing file and the reason of a non-image', async () => {
  const pre = resolvePreprocess({ preset: 'grayscale' }, { channels: 1, height: null, width: null });
  const pool = await PreparePool.create(1, pre);
  try {
    await assert.rejects(pool.prepare(join(IMAGES, 'no-such-file.png')), { code: 'ENOENT' });
    await assert.rejects(
      pool.prepare(join(import.meta.dirname, 'prepare-pool.test.ts')),
      /unsupported image format/,
    );
    // The pool still works after errors.
    const ok = await pool.prepare(join(IMAGES, 'gray-90x90.png'));
    assert.equal(ok.data.length, 90 * 90);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.prepare(join(IMAGES, 'gray-90x90.png')), /decode threads were stopped/);
});

test("'auto' decode threads: every core from MIN_FILES_FOR_WORKERS image files and MIN_CORES_FOR_WORKERS cores, else the calling thread", () => {
  const many = MIN_CORES_FOR_WORKERS + 5;
  assert.equal(resolveDecodeThreads('auto', MIN_FILES_FOR_WORKERS, many), many);
  assert.equal(
    resolveDecodeThreads('auto', MIN_FILES_FOR_WORKERS, MIN_CORES_FOR_WORKERS),
    MIN_CORES_FOR_WORKERS,
  );
  assert.equal(resolveDecodeThreads('auto', MIN_FILES_FOR_WORKERS - 1, many), 1);
  assert.equal(resolveDecodeThreads('auto', 0, many), 1);
  assert.equal(resolveDecodeThreads('auto', 10_000, MIN_CORES_FOR_WORKERS - 1), 1);
  assert.equal(resolveDecodeThreads('auto', 10_000, 1), 1);
  // This machine's cores by default.
  const here = availableParallelism();
  assert.equal(resolveDecodeThreads('auto', 10_000), here >= MIN_CORES_FOR_WORKERS ? here : 1);
  assert.equal(resolveDecodeThreads(3, 5), 3);
  assert.equal(resolveDecodeThreads(1, 10_000), 1);
});
