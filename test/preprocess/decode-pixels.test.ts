/**
 * decodeImage's settings (sequential read, no cache) change how libvips reads a file, never its
 * pixels: every image fixture decodes to the bytes of sharp's plain random-access decode.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeImage } from '../../src/preprocess/decode.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'images');

test('decodeImage gives the pixels of a plain sharp decode for every JPEG fixture', async () => {
  const jpegs = readdirSync(DIR).filter((f) => f.endsWith('.jpg'));
  assert.ok(jpegs.length >= 4, 'JPEG fixtures missing');
  for (const f of jpegs) {
    const bytes = readFileSync(join(DIR, f));
    const { data, info } = await sharp(bytes)
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const got = await decodeImage(bytes, 3);
    assert.equal(info.channels, 3, f);
    assert.deepEqual([got.width, got.height], [info.width, info.height], f);
    assert.ok(
      Buffer.from(got.data.buffer, got.data.byteOffset, got.data.length).equals(data),
      `${f}: pixels differ`,
    );
  }
});
