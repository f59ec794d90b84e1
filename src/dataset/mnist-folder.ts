/**
 * torchvision's MNIST-family download folder: `datasets.MNIST(root, download=True)` (and FashionMNIST,
 * KMNIST) leaves `ROOT/<Name>/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`. `--data` may name
 * ROOT, ROOT/<Name> or ROOT/<Name>/raw. Images stay in memory as 28x28 greys (no files); their `path` is
 * `<split>/<index, 5 digits>` (e.g. `test/00042` = index 42 of the test split, as `dataset[42]`).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { readIdxFile } from './idx.js';
import type { SourceItem } from './source-item.js';

/** torchvision 0.14's `classes` of each dataset class, by the folder name it downloads into. */
export const MNIST_CLASSES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  MNIST: [
    '0 - zero',
    '1 - one',
    '2 - two',
    '3 - three',
    '4 - four',
    '5 - five',
    '6 - six',
    '7 - seven',
    '8 - eight',
    '9 - nine',
  ],
  FashionMNIST: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  KMNIST: ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'],
});

export type Split = 'train' | 'test';

/** File prefix of each split, as in torchvision (`t10k` is the test split). */
const PREFIX: Record<Split, string> = { train: 'train', test: 't10k' };

const IDX_NAME = /^(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/;

async function hasIdxFiles(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((f) => IDX_NAME.test(f));
  } catch {
    return false;
  }
}

/** Where the IDX files of `dir` are and which dataset they are, or null when `dir` is no MNIST-family folder. */
export async function findMnistRaw(dir: string): Promise<{ raw: string; name: string | null } | null> {
  if (await hasIdxFiles(dir)) {
    const parent = basename(dir) === 'raw' ? basename(dirname(dir)) : null;
    return { raw: dir, name: parent };
  }
  if (await hasIdxFiles(join(dir, 'raw'))) return { raw: join(dir, 'raw'), name: basename(dir) };
  const found: string[] = [];
  for (const name of Object.keys(MNIST_CLASSES)) {
    if (await hasIdxFiles(join(dir, name, 'raw'))) found.push(name);
  }
  if (found.length > 1) {
    throw new UserError(
      `${dir} holds several torchvision datasets (${found.join(', ')}). Point --data at the one to use, e.g. ` +
        `--data ${join(dir, found[0])}, or give each its own domain: --data ${found[0]}=${join(dir, found[0])} --data ${found[1]}=${join(dir, found[1])}.`,
    );
  }
  return found.length === 1 ? { raw: join(dir, found[0], 'raw'), name: found[0] } : null;
}

/** The IDX file of a split and kind: the extracted one when present, else the `.gz` torchvision downloaded. */
async function idxFile(raw: string, split: Split, kind: 'images-idx3' | 'labels-idx1'): Promise<string> {
  const plain = join(raw, `${PREFIX[split]}-${kind}-ubyte`);
  for (const f of [plain, `${plain}.gz`]) {
    try {
      if ((await stat(f)).isFile()) return f;
    } catch {}
  }
  throw new UserError(
    `${raw} has no ${basename(plain)}[.gz], the ${split} split's ${kind === 'images-idx3' ? 'images' : 'labels'}. ` +
      `Download that split (torchvision: datasets.<Name>(root, train=${split === 'train' ? 'True' : 'False'}, download=True)) ` +
      `or choose the other one with --split ${split === 'train' ? 'test' : 'train'}.`,
  );
}

export interface MnistSplit {
  raw: string;
  /** Dataset name (the folder torchvision downloads into), or null when unknown. */
  name: string | null;
  split: Split;
  imagesFile: string;
  items: SourceItem[];
  /** Class names in label-id order: torchvision's for a known dataset, else the ids as text. */
  classes: string[];
  warnings: string[];
}

/** Reads one split's images and labels into in-memory items. */
export async function loadMnistSplit(
  found: { raw: string; name: string | null },
  split: Split,
): Promise<MnistSplit> {
  const imagesFile = await idxFile(found.raw, split, 'images-idx3');
  const labelsFile = await idxFile(found.raw, split, 'labels-idx1');
  const images = await readIdxFile(imagesFile);
  const labels = await readIdxFile(labelsFile);
  if (images.shape.length !== 3)
    throw new UserError(
      `${imagesFile} holds a ${images.shape.length}-D array; MNIST-family images are [N, rows, columns].`,
    );
  if (labels.shape.length !== 1)
    throw new UserError(`${labelsFile} holds a ${labels.shape.length}-D array; MNIST-family labels are [N].`);
  const [n, h, w] = images.shape;
  if (labels.shape[0] !== n) {
    throw new UserError(
      `${imagesFile} holds ${n} images but ${labelsFile} holds ${labels.shape[0]} labels. The two files of a split ` +
        'must match: download the split again.',
    );
  }
  const warnings: string[] = [];
  const known = found.name !== null ? MNIST_CLASSES[found.name] : undefined;
  let maxLabel = 0;
  for (let i = 0; i < n; i++) maxLabel = Math.max(maxLabel, labels.data[i]);
  let classes: string[];
  if (known && maxLabel < known.length) classes = [...known];
  else {
    classes = Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
    warnings.push(
      `${found.raw} is not under a folder named MNIST, FashionMNIST or KMNIST, so its classes are named by their ids 0..${maxLabel}; pass --classes to name them.`,
    );
  }
  const digits = Math.max(5, String(n - 1).length);
  const plane = h * w;
  const items: SourceItem[] = new Array(n);
  for (let i = 0; i < n; i++) {
    items[i] = {
      path: `${split}/${String(i).padStart(digits, '0')}`,
      file: imagesFile,
      labelId: labels.data[i],
      pixels: { data: images.data.subarray(i * plane, (i + 1) * plane), width: w, height: h, channels: 1 },
    };
  }
  return { raw: found.raw, name: found.name, split, imagesFile, items, classes, warnings };
}
