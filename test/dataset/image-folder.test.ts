import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseClassIndex } from '../../src/dataset/class-index.js';
import { scanImageFolder } from '../../src/dataset/image-folder.js';
import { compareCodePoints, decodeFileName } from '../../src/dataset/names.js';
import { UserError } from '../../src/errors.js';

function tree(files: string[], dirs: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'fs-ifold-'));
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'x');
  }
  return root;
}

// Expected order and indices printed by torchvision 0.14 (find_classes + make_dataset) on this tree.
const TORCHVISION_CLASSES = ['.hidden', 'B', 'a', 'a b', 'b', 'ä'];
const TORCHVISION_SAMPLES: [string, number][] = [
  ['.hidden/h.png', 0],
  ['B/1.bmp', 1],
  ['a/.h.png', 2],
  ['a/10.png', 2],
  ['a/9.png', 2],
  ['a/x.PNG', 2],
  ['a/y.jpg', 2],
  ['a/sub/z.png', 2],
  ['a/sub-2/w.png', 2],
  ['a/sub/deeper/q.png', 2],
  ['a/sub0/k.webp', 2],
  ['a b/c.JPG', 3],
  ['b/u.tif', 4],
  ['b/Ü.jpeg', 4],
  ['ä/a.png', 5],
];

test('scan order, class indices and extensions equal torchvision ImageFolder', async () => {
  const root = tree([
    'b/Ü.jpeg',
    'b/u.tif',
    'a/x.PNG',
    'a/y.jpg',
    'a/10.png',
    'a/9.png',
    'a/sub/z.png',
    'a/sub-2/w.png',
    'a/sub/deeper/q.png',
    'a/note.txt',
    'a/.h.png',
    'a/sub0/k.webp',
    'B/1.bmp',
    '.hidden/h.png',
    'ä/a.png',
    'a b/c.JPG',
    'stray.png',
  ]);
  const ds = await scanImageFolder(root);
  assert.deepEqual(ds.folders, TORCHVISION_CLASSES);
  assert.deepEqual(
    ds.items.map((it) => [it.path, it.labelId]),
    TORCHVISION_SAMPLES,
  );
  assert.ok(ds.warnings.some((w) => /hidden folder/.test(w)));
  assert.ok(ds.warnings.some((w) => /directly in/.test(w)));
});

test('an empty class folder keeps its index, with a warning', async () => {
  const root = tree(['a/1.png', 'c/2.png'], ['b']);
  const ds = await scanImageFolder(root);
  assert.deepEqual(ds.folders, ['a', 'b', 'c']);
  assert.deepEqual(
    ds.items.map((it) => it.labelId),
    [0, 2],
  );
  assert.ok(ds.warnings.some((w) => /"b" holds no images; its index 1 is kept/.test(w)));
});

test('with a class-index JSON, a folder label is its index in the JSON', async () => {
  const root = tree(['dog/1.png', 'cat/2.png']);
  const index = parseClassIndex({ 0: 'airplane', 1: 'cat', 2: 'bird', 3: 'dog' }, 'classes.json');
  const ds = await scanImageFolder(root, index);
  assert.deepEqual(
    ds.items.map((it) => [it.path, it.labelId]),
    [
      ['cat/2.png', 1],
      ['dog/1.png', 3],
    ],
  );
  await assert.rejects(
    scanImageFolder(tree(['cow/1.png']), index),
    /"cow" .* is not named in the class-index file/,
  );
});

test('ImageNet-style class index matches folders by WordNet id and names by the human label', async () => {
  const index = parseClassIndex(
    { 0: ['n01', 'crane'], 1: ['n02', 'tench'], 2: ['n03', 'crane'] },
    'imagenet.json',
  );
  assert.deepEqual(index.names, ['crane', 'tench', 'crane (n03)']);
  const ds = await scanImageFolder(tree(['n03/a.png', 'n01/b.png']), index);
  assert.deepEqual(
    ds.items.map((it) => it.labelId),
    [0, 2],
  );
});

test('bad class-index files and folders are user errors', async () => {
  assert.throws(() => parseClassIndex({ 0: 'a', 2: 'b' }, 'c.json'), /no entry for index 1/);
  assert.throws(() => parseClassIndex({ a: 'x' }, 'c.json'), /not a class index/);
  assert.throws(() => parseClassIndex({ 0: 'a', 1: 'a' }, 'c.json'), /twice/);
  await assert.rejects(
    scanImageFolder(tree(['x.png'])),
    (e: Error) => e instanceof UserError && /no class folders/.test(e.message),
  );
  await assert.rejects(scanImageFolder(tree(['a/readme.txt'])), /No images found/);
  await assert.rejects(scanImageFolder('/nonexistent/folder'), /Cannot read the test set folder/);
});

test('a symlink loop is reported and not followed', async () => {
  const root = tree(['a/1.png']);
  symlinkSync(join(root, 'a'), join(root, 'a', 'loop'));
  const ds = await scanImageFolder(root);
  assert.deepEqual(
    ds.items.map((it) => it.path),
    ['a/1.png'],
  );
  assert.ok(ds.warnings.some((w) => /symlink loop/.test(w)));
});

test('non-UTF-8 names decode as Python surrogateescape and sort by code point', () => {
  const d = decodeFileName(Uint8Array.from([0x61, 0xff, 0x62]));
  assert.equal(d.valid, false);
  assert.equal(d.name, 'a\udcffb');
  assert.ok(compareCodePoints('\u{1F600}', '\uFFFD') > 0); // UTF-16 order would say < 0
  assert.ok(compareCodePoints('a', 'ab') < 0);
});
