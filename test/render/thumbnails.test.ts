import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { decodeSmallPng } from '../../src/preprocess/png-fast.js';
import { crc32 } from '../../src/render/png-encode.js';
import {
  makePixelThumbnail,
  makeThumbnail,
  makeThumbnails,
  REUSE_MAX_BYTES,
  reusablePng,
} from '../../src/render/thumbnails.js';

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
  const m = /^data:image\/(?:webp|png);base64,(.+)$/.exec(uri);
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
  const small = await makeThumbnail(join(dir, 'small.png'), 16);
  assert.ok(small);
  const s = await decode(small);
  assert.equal(s.format, 'webp');
  assert.deepEqual([s.width, s.height], [16, 16]);
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

/** The bytes of a PNG data URI (asserting its type). */
function pngBytes(uri: string | null): Buffer {
  const m = /^data:image\/png;base64,(.+)$/.exec(uri ?? '');
  assert.ok(m, (uri ?? 'null').slice(0, 40));
  return Buffer.from(m[1], 'base64');
}

/** `png` with a chunk of `type` inserted right after IHDR (CRC computed). */
function withChunk(png: Buffer, type: string, body: Uint8Array): Buffer {
  const c = Buffer.alloc(12 + body.length);
  c.writeUInt32BE(body.length, 0);
  c.write(type, 4, 'latin1');
  c.set(body, 8);
  c.writeUInt32BE(crc32(c.subarray(4, 8 + body.length)), 8 + body.length);
  return Buffer.concat([png.subarray(0, 33), c, png.subarray(33)]);
}

test('a small PNG that fits is inlined byte for byte; anything unsafe to show as is gets encoded', async () => {
  const file = join(dir, 'small.png');
  const bytes = readFileSync(file);
  assert.ok(bytes.length <= REUSE_MAX_BYTES);
  assert.deepEqual(pngBytes(await makeThumbnail(file, 64)), bytes);
  assert.deepEqual(pngBytes(await makeThumbnail(new Uint8Array(bytes), 28)), bytes);
  // Larger than maxSide: resized to a WebP.
  assert.equal((await decode((await makeThumbnail(file, 27))!)).format, 'webp');
  assert.equal(reusablePng(bytes, 64), true);
  // Truncated, or a flipped byte in IDAT: never inlined (the decoder decides, as for any other file).
  assert.equal(reusablePng(bytes.subarray(0, bytes.length - 12), 64), false);
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 20] ^= 0xff;
  assert.equal(reusablePng(flipped, 64), false);
  // An eXIf chunk (a browser would rotate it) or an animation: encoded, not inlined.
  assert.equal(reusablePng(withChunk(bytes, 'eXIf', new Uint8Array(8)), 64), false);
  assert.equal(reusablePng(withChunk(bytes, 'acTL', new Uint8Array(8)), 64), false);
  assert.equal(reusablePng(withChunk(bytes, 'tEXt', new Uint8Array(8)), 64), true);
  // Over the byte limit (a big text chunk): encoded.
  const big = withChunk(bytes, 'tEXt', new Uint8Array(REUSE_MAX_BYTES));
  assert.equal(reusablePng(big, 64), false);
  const uri = await makeThumbnail(new Uint8Array(big), 64);
  assert.equal((await decode(uri!)).format, 'webp');
});

test('pixels in memory that fit become a lossless PNG; larger ones a resized WebP', async () => {
  const grey = Uint8Array.from({ length: 28 * 20 }, (_, i) => (i * 37) % 256);
  const png = pngBytes(await makePixelThumbnail({ data: grey, width: 28, height: 20, channels: 1 }, 64));
  const g = decodeSmallPng(png);
  assert.ok(g);
  assert.deepEqual([g.width, g.height, g.channels], [28, 20, 1]);
  assert.deepEqual(g.data, grey);
  const rgb = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => (i * i) % 251);
  const c = decodeSmallPng(
    pngBytes(await makePixelThumbnail({ data: rgb, width: 5, height: 7, channels: 3 })),
  );
  assert.ok(c);
  assert.deepEqual([c.width, c.height, c.channels], [5, 7, 3]);
  assert.deepEqual(c.data, rgb);
  // sharp reads it too (what a browser would show).
  assert.equal((await sharp(png).metadata()).channels, 1);
  const raw = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([raw.info.width, raw.info.height], [28, 20]);
  assert.deepEqual(new Uint8Array(raw.data), grey);
  const wide = await makePixelThumbnail(
    { data: new Uint8Array(100 * 50 * 3).fill(90), width: 100, height: 50, channels: 3 },
    64,
  );
  const m = await decode(wide);
  assert.equal(m.format, 'webp');
  assert.deepEqual([m.width, m.height], [64, 32]);
});
