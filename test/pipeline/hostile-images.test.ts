/**
 * A test set salted with every kind of bad or unusual file, built here (no committed binaries):
 * decodable images are used (converted as PIL would), undecodable ones are skipped with a reason,
 * --strict makes them fatal, and an all-bad dataset is an error.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { UserError } from '../../src/errors.js';
import { CLASSIFY_DEFAULTS, classify } from '../../src/pipeline/classify.js';
import { tinyCnn } from '../helpers/onnx-builder.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'images');

async function hostileTree(): Promise<{ root: string; model: string }> {
  const root = mkdtempSync(join(tmpdir(), 'fs-hostile-'));
  const model = join(root, '..', `${root.split('/').pop()}.onnx`);
  writeFileSync(model, tinyCnn({ channels: 3, height: 8, width: 8, classes: 4 }).bytes);
  for (const c of ['good', 'odd', 'bad', 'empty']) mkdirSync(join(root, c));
  const px = (w: number, h: number, ch: 1 | 3 | 4) =>
    sharp(
      new Uint8Array(w * h * ch).map((_, i) => (i * 37) & 0xff),
      { raw: { width: w, height: h, channels: ch } },
    );
  await px(20, 16, 3)
    .png()
    .toFile(join(root, 'good', 'rgb.png'));
  await px(20, 16, 1)
    .jpeg()
    .toFile(join(root, 'good', 'grey.jpg'));
  await px(9, 11, 4)
    .png()
    .toFile(join(root, 'good', 'rgba.png'));
  await px(30, 20, 3)
    .webp()
    .toFile(join(root, 'good', 'photo.WEBP'));
  writeFileSync(join(root, 'good', '.hidden.png'), readFileSync(join(root, 'good', 'rgb.png')));
  for (const f of [
    'cmyk-80x60.jpg',
    'gray16-70x50.png',
    'palette-trns-100x70.png',
    'exif-rot6-96x64.jpg',
    'rgb16-60x45.png',
  ]) {
    writeFileSync(join(root, 'odd', f), readFileSync(join(FIX, f)));
  }
  // A 12000x9000 image: decoded and resized like any other.
  await sharp({ create: { width: 12000, height: 9000, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    .jpeg()
    .toFile(join(root, 'odd', 'huge.jpg'));
  const longName = `${'l'.repeat(240)}.png`;
  writeFileSync(join(root, 'odd', longName), readFileSync(join(root, 'good', 'rgb.png')));
  writeFileSync(
    Buffer.concat([Buffer.from(join(root, 'odd') + '/caf'), Buffer.from([0xe9]), Buffer.from('.png')]),
    readFileSync(join(root, 'good', 'rgb.png')),
  );
  writeFileSync(join(root, 'bad', 'zero.png'), '');
  writeFileSync(join(root, 'bad', 'text.png'), 'hello, I am text');
  const jpeg = readFileSync(join(root, 'good', 'grey.jpg'));
  writeFileSync(join(root, 'bad', 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  symlinkSync(join(root, 'bad', 'missing-target.png'), join(root, 'bad', 'dangling.png'));
  symlinkSync(join(root, 'bad'), join(root, 'bad', 'loop'));
  writeFileSync(join(root, 'bad', 'locked.png'), readFileSync(join(root, 'good', 'rgb.png')));
  chmodSync(join(root, 'bad', 'locked.png'), 0o000);
  return { root, model };
}

const base = (model: string, data: string) => ({
  ...CLASSIFY_DEFAULTS,
  model,
  data,
  layer: null,
  threads: 1,
  executionProvider: 'cpu' as const,
  topK: 2,
  preprocess: { preset: 'imagenet' as const, resize: 8, crop: 8 },
});

test('decodable images are used, undecodable ones skipped with reasons', async () => {
  const { root, model } = await hostileTree();
  const r = await classify(base(model, root));
  const used = new Set(r.paths);
  for (const p of [
    'good/rgb.png',
    'good/grey.jpg',
    'good/rgba.png',
    'good/photo.WEBP',
    'good/.hidden.png',
    'odd/huge.jpg',
    'odd/cmyk-80x60.jpg',
    'odd/gray16-70x50.png',
    'odd/palette-trns-100x70.png',
    'odd/exif-rot6-96x64.jpg',
    'odd/rgb16-60x45.png',
  ]) {
    assert.ok(used.has(p), `${p} should be used`);
  }
  assert.ok(
    r.paths.some((p) => p.startsWith('odd/lll')),
    'very long name used',
  );
  assert.ok(
    r.paths.some((p) => p.startsWith('odd/caf') && p.includes('\udce9')),
    'non-UTF-8 name used, shown as Python would',
  );
  const skipped = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
  for (const p of ['bad/zero.png', 'bad/text.png', 'bad/truncated.jpg', 'bad/dangling.png'])
    assert.ok(skipped[p], `${p} should be skipped`);
  assert.match(skipped['bad/dangling.png'], /not found/);
  if (process.getuid?.() !== 0) assert.match(skipped['bad/locked.png'], /permission denied/); // root reads anything
  assert.ok(r.warnings.some((w) => /"empty" holds no images/.test(w)));
  assert.ok(r.warnings.some((w) => /symlink loop/.test(w)));
  // Folders in order: bad 0, empty 1, good 2, odd 3. From bad/, only the unreadable file can be used, as root.
  const fromBad = r.paths.filter((p) => p.startsWith('bad/'));
  assert.deepEqual(fromBad, process.getuid?.() === 0 ? ['bad/locked.png'] : []);
  assert.ok(
    r.labelIds.every(
      (l, i) => l === { bad: 0, good: 2, odd: 3 }[r.paths[i].split('/')[0] as 'bad' | 'good' | 'odd'],
    ),
  );
});

test('--strict makes the first bad image fatal; an all-bad dataset is an error', async () => {
  const { root, model } = await hostileTree();
  await assert.rejects(
    classify({ ...base(model, root), strict: true }),
    (e: Error) => e instanceof UserError && /drop --strict/.test(e.message),
  );
  const allBad = mkdtempSync(join(tmpdir(), 'fs-allbad-'));
  mkdirSync(join(allBad, 'x'));
  writeFileSync(join(allBad, 'x', 'a.png'), 'nope');
  writeFileSync(join(allBad, 'x', 'b.jpg'), '');
  await assert.rejects(
    classify(base(model, allBad)),
    (e: Error) => e instanceof UserError && /None of the 2 images could be decoded/.test(e.message),
  );
});
