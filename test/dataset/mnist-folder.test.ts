/**
 * torchvision's MNIST-family download folder: detection from any of its three levels, the IDX reader,
 * and preprocessing parity with `datasets.FashionMNIST(root, train=False, transform=T)[i]` (fixtures by
 * scripts/python/make_mnist_fixture.py).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeIdx } from '../../src/dataset/idx.js';
import { findMnistRaw, loadMnistSplit, MNIST_CLASSES } from '../../src/dataset/mnist-folder.js';
import { loadDataSource } from '../../src/dataset/source.js';
import { decodeNpy } from '../../src/io/npy.js';
import { preparePixels } from '../../src/preprocess/image-tensor.js';
import type { ResolvedPreprocess } from '../../src/preprocess/options.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'mnist');
const parity = JSON.parse(readFileSync(join(ROOT, 'parity.json'), 'utf8')) as {
  classes: string[];
  targets: number[];
};

test('the MNIST-family folder is found from its root, from <Name> and from raw', async () => {
  const raw = join(ROOT, 'FashionMNIST', 'raw');
  for (const dir of [ROOT, join(ROOT, 'FashionMNIST'), raw]) {
    assert.deepEqual(await findMnistRaw(dir), { raw, name: 'FashionMNIST' }, dir);
  }
  assert.equal(await findMnistRaw(join(import.meta.dirname, '..', 'fixtures', 'images')), null);
});

test("the test split reads torchvision's targets and classes, in file order, with stable paths", async () => {
  const source = await loadDataSource(ROOT, null);
  assert.equal(source.form, 'mnist-idx');
  assert.equal(source.split, 'test');
  assert.deepEqual(source.labelNames, parity.classes);
  assert.deepEqual(MNIST_CLASSES.FashionMNIST, parity.classes);
  assert.deepEqual(
    source.items.map((it) => it.labelId),
    parity.targets,
  );
  assert.deepEqual(
    source.items.map((it) => it.path),
    ['test/00000', 'test/00001', 'test/00002', 'test/00003', 'test/00004', 'test/00005'],
  );
  const train = await loadDataSource(join(ROOT, 'FashionMNIST'), 'train');
  assert.equal(train.items.length, 4);
  assert.equal(train.items[3].path, 'train/00003');
});

const GRAY: ResolvedPreprocess = {
  preset: 'grayscale',
  channels: 1,
  resize: null,
  cropHeight: null,
  cropWidth: null,
  mean: [0.5],
  std: [0.5],
};
const RGB: ResolvedPreprocess = {
  preset: 'none',
  channels: 3,
  resize: 30,
  cropHeight: 24,
  cropWidth: 24,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

for (const [name, pre] of [
  ['gray', GRAY],
  ['rgb', RGB],
] as const) {
  test(`IDX pixels preprocess to torchvision's FashionMNIST tensors (${name})`, async () => {
    const expected = decodeNpy(readFileSync(join(ROOT, `parity-${name}.npy`)), name);
    const source = await loadDataSource(ROOT, 'test');
    const per = expected.data.length / source.items.length;
    let worst = 0;
    source.items.forEach((it, i) => {
      const got = preparePixels(it.pixels!, pre);
      assert.equal(got.data.length, per);
      for (let j = 0; j < per; j++)
        worst = Math.max(worst, Math.abs(got.data[j] - Number(expected.data[i * per + j])));
    });
    // Same float32 arithmetic as ToTensor/Normalize; PIL's bilinear upscaling is reproduced (pil-resize.ts).
    assert.ok(worst < 1e-5, `max |diff| ${worst}`);
  });
}

test('gzipped IDX files (as downloaded) read the same as extracted ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-mnist-gz-'));
  const raw = join(ROOT, 'FashionMNIST', 'raw');
  for (const f of readdirSync(raw)) writeFileSync(join(dir, `${f}.gz`), gzipSync(readFileSync(join(raw, f))));
  const plain = await loadMnistSplit({ raw, name: 'FashionMNIST' }, 'test');
  const gz = await loadMnistSplit({ raw: dir, name: null }, 'test');
  assert.deepEqual(
    gz.items.map((it) => [it.labelId, Buffer.from(it.pixels!.data).toString('hex')]),
    plain.items.map((it) => [it.labelId, Buffer.from(it.pixels!.data).toString('hex')]),
  );
  // Outside a folder named after a known dataset the classes are the label ids, with a warning.
  assert.deepEqual(gz.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.match(gz.warnings[0], /named by their ids/);
});

test('a root holding two datasets asks which one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-mnist-two-'));
  cpSync(join(ROOT, 'FashionMNIST'), join(dir, 'FashionMNIST'), { recursive: true });
  cpSync(join(ROOT, 'FashionMNIST'), join(dir, 'KMNIST'), { recursive: true });
  await assert.rejects(findMnistRaw(dir), /holds several torchvision datasets \(FashionMNIST, KMNIST\)/);
});

test('decodeIdx refuses a bad magic and a truncated file, naming the file', () => {
  const good = readFileSync(join(ROOT, 'FashionMNIST', 'raw', 't10k-images-idx3-ubyte'));
  assert.equal(decodeIdx(good, 'x').shape.join('x'), '6x28x28');
  assert.throws(() => decodeIdx(good.subarray(0, 100), 'cut.idx'), /cut\.idx .*truncated/);
  assert.throws(() => decodeIdx(Buffer.from('PK\x03\x04'), 'zip.idx'), /zip\.idx .*IDX magic/);
});
