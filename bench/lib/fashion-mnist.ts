/**
 * Fashion-MNIST as Debian's `dataset-fashion-mnist` installs it: train (60k) then t10k (10k), 70k images
 * of 28 x 28 in a fixed order, pixels scaled to [0, 1].
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MNIST_CLASSES } from '../../src/dataset/mnist-folder.js';
import { readIdxFile } from './idx.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** torchvision's FashionMNIST classes, in label order. */
export const FASHION_MNIST_CLASSES = MNIST_CLASSES.FashionMNIST;

export function fashionMnistAvailable(dir = FASHION_MNIST_DIR): boolean {
  return ['train', 't10k'].every((p) => existsSync(join(dir, `${p}-images-idx3-ubyte.gz`)));
}

/** All 70k images (n x 784 float32 in [0, 1]) and labels, train split first. */
export function loadFashionMnist(dir = FASHION_MNIST_DIR): {
  pixels: Float32Array;
  labels: Int32Array;
  n: number;
  d: number;
} {
  const parts = ['train', 't10k'].map((p) => ({
    images: readIdxFile(join(dir, `${p}-images-idx3-ubyte.gz`)),
    labels: readIdxFile(join(dir, `${p}-labels-idx1-ubyte.gz`)),
  }));
  const n = parts.reduce((s, p) => s + p.images.shape[0], 0);
  const d = parts[0].images.shape[1] * parts[0].images.shape[2];
  const pixels = new Float32Array(n * d);
  const labels = new Int32Array(n);
  let row = 0;
  for (const p of parts) {
    if (p.labels.shape[0] !== p.images.shape[0])
      throw new Error('fashion-mnist: image and label counts differ');
    for (let i = 0; i < p.images.data.length; i++) pixels[row * d + i] = p.images.data[i] / 255;
    labels.set(p.labels.data, row);
    row += p.images.shape[0];
  }
  return { pixels, labels, n, d };
}

/** The 70k labels alone, in `loadFashionMnist`'s order (without decoding 220 MB of pixels). */
export function loadFashionMnistLabels(dir = FASHION_MNIST_DIR): Int32Array {
  const parts = ['train', 't10k'].map((p) => readIdxFile(join(dir, `${p}-labels-idx1-ubyte.gz`)).data);
  const labels = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  labels.set(parts[0]);
  labels.set(parts[1], parts[0].length);
  return labels;
}
