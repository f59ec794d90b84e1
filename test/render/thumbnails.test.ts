import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { makeThumbnail, makeThumbnails } from '../../src/render/thumbnails.js';

let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'featscope-thumbs-'));
  await sharp({ create: { width: 300, height: 150, channels: 3, background: { r: 200, g: 30, b: 40 } } })
    .png()
    .toFile(join(dir, 'wide.png'));
  await sharp({ create: { width: 28, height: 28, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .grayscale()
    .png()
    .toFile(join(dir, 'small.png'));
  writeFileSync(join(dir, 'broken.png'), 'not an image');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function decode(uri: string) {
  const m = /^data:image\/webp;base64,(.+)$/.exec(uri);
  assert.ok(m, uri.slice(0, 40));
  return sharp(Buffer.from(m[1], 'base64')).metadata();
}

test('thumbnails show the pixels the model sees: EXIF orientation is neither applied nor kept', async () => {
  // Stored 96 x 64 (landscape) with orientation 6 ("rotate 90 degrees to display"); the model gets
  // the stored, landscape pixels (the preprocessing parity fixtures check that), so must the thumbnail.
  const file = join(import.meta.dirname, '..', 'fixtures', 'images', 'exif-rot6-96x64.jpg');
  assert.equal((await sharp(file).metadata()).orientation, 6);
  const uri = await makeThumbnail(file, 48);
  assert.ok(uri);
  const m = await decode(uri);
  assert.deepEqual([m.width, m.height], [48, 32]);
  assert.equal(m.orientation, undefined);
});

test('thumbnails keep the aspect ratio, fit maxSide and never enlarge', async () => {
  const wide = await makeThumbnail(join(dir, 'wide.png'), 64);
  assert.ok(wide);
  const m = await decode(wide);
  assert.equal(m.format, 'webp');
  assert.deepEqual([m.width, m.height], [64, 32]);
  const small = await makeThumbnail(join(dir, 'small.png'), 64);
  assert.ok(small);
  const s = await decode(small);
  assert.deepEqual([s.width, s.height], [28, 28]);
  assert.ok(small.length < 1000, `${small.length} chars for a 28x28 thumbnail`);
});

test('unreadable files give null; the batch keeps input order and reports progress', async () => {
  assert.equal(await makeThumbnail(join(dir, 'broken.png')), null);
  assert.equal(await makeThumbnail(join(dir, 'missing.png')), null);
  const fractions: number[] = [];
  const files = ['wide.png', 'broken.png', 'small.png', 'wide.png'].map((f) => join(dir, f));
  const out = await makeThumbnails(files, {
    maxSide: 32,
    concurrency: 2,
    onProgress: (f) => fractions.push(f),
  });
  assert.equal(out.length, 4);
  assert.equal(out[1], null);
  assert.deepEqual([(await decode(out[0]!)).width, (await decode(out[2]!)).width], [32, 28]);
  assert.equal(out[0], out[3]);
  assert.equal(fractions.at(-1), 1);
  assert.equal(fractions.length, 4);
});
