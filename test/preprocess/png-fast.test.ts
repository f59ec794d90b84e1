import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { convertChannels } from '../../src/preprocess/convert.js';
import { decodeSmallPng } from '../../src/preprocess/png-fast.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'images');

async function viaSharp(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), channels: info.channels, width: info.width, height: info.height };
}

test('the small-PNG fast path decodes exactly what libvips decodes', async () => {
  const files = readdirSync(FIX)
    .filter((f) => f.endsWith('.png'))
    .map((f) => join(FIX, f));
  // Every filter type and colour type libvips writes, from generated images.
  const generated: Uint8Array[] = [];
  for (const [channels, palette] of [
    [1, false],
    [2, false],
    [3, false],
    [4, false],
    [3, true],
    [4, true],
  ] as const) {
    const w = 37;
    const h = 23;
    const raw = new Uint8Array(w * h * channels).map((_, i) => (i * 7919 + (i >> 3) * 31) & 0xff);
    generated.push(
      await sharp(raw, { raw: { width: w, height: h, channels } })
        .png({ palette, adaptiveFiltering: true, compressionLevel: 9 })
        .toBuffer(),
    );
  }
  let fast = 0;
  for (const bytes of [...files.map((f) => readFileSync(f)), ...generated]) {
    const got = decodeSmallPng(bytes);
    if (!got) continue; // 16-bit etc.: left to sharp by design
    fast++;
    const ref = await viaSharp(bytes);
    assert.equal(got.width, ref.width);
    assert.equal(got.height, ref.height);
    // libvips may hand grey images back as RGB; compare what featscope uses: the L and RGB conversions.
    const px = got.width * got.height;
    for (const out of [1, 3] as const) {
      assert.deepEqual(
        convertChannels(got.data, px, got.channels, out),
        convertChannels(ref.data, px, ref.channels, out),
      );
    }
  }
  assert.ok(fast >= 8, `fast path used for ${fast} files`);
});

test('truncated or unusual PNGs are left to the general decoder', () => {
  const png = readFileSync(join(FIX, 'small-37x53.png'));
  assert.equal(decodeSmallPng(png.subarray(0, png.length - 40)), null);
  assert.equal(decodeSmallPng(new TextEncoder().encode('not a png at all, really not')), null);
  assert.equal(decodeSmallPng(readFileSync(join(FIX, 'gray16-70x50.png'))), null);
});
