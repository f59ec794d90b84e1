/**
 * Prepares the benchmark data under bench/.cache/ (git-ignored), from Debian's `dataset-fashion-mnist`
 * IDX files:
 *
 *   fm10k/        the 10,000 Fashion-MNIST test images as a torchvision ImageFolder tree
 *   fm70k/        all 70,000 images (train + test) as an ImageFolder tree
 *   fm70k-out/    `featscope classify` over fm70k: features.npy (the CNN features bench/tsne uses),
 *                 predictions.csv (labels), run.json
 *   fm70k-classify.json   wall time and peak memory of that classify run (GNU time), with the load
 *
 *   npx tsx bench/data/prepare.ts [--force] [--skip-classify] [--concurrency 8]
 *
 * Layout: <root>/<class>/<index>.png, 8-bit greyscale PNG, class folders named as
 * examples/fashion-mnist/classes.json does (official names, '/' replaced by '_'). In fm10k the index is
 * the t10k index (the same file names examples/fashion-mnist/make_data.py writes); in fm70k it is the row
 * of bench/lib/fashion-mnist.ts's loadFashionMnist() (train 00000-59999, then t10k 60000-69999), so a
 * predictions.csv path maps back to a row. A tree is written to `<name>.partial/` and renamed when
 * complete, so an interrupted run never leaves a half tree that looks finished; existing trees are kept
 * unless --force. The classify step needs the built CLI (`npm run build`).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { gnuTimeAvailable, loadAverage, runMeasured } from '../e2e/measure.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, fashionMnistAvailable } from '../lib/fashion-mnist.js';
import { type IdxArray, readIdxFile } from '../lib/idx.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MODEL = join(ROOT, 'examples', 'fashion-mnist', 'model.onnx');
const CLI = join(ROOT, 'bin', 'featscope.js');

/** Folder names as examples/fashion-mnist/classes.json (a '/' cannot be in a folder name). */
export const FOLDER_NAMES = Object.freeze(FASHION_MNIST_CLASSES.map((c) => c.replace('/', '_')));

interface Split {
  images: IdxArray;
  labels: IdxArray;
  /** Index of this split's first image in the file names. */
  firstIndex: number;
}

function readSplit(prefix: 'train' | 't10k', firstIndex: number): Split {
  const images = readIdxFile(join(FASHION_MNIST_DIR, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdxFile(join(FASHION_MNIST_DIR, `${prefix}-labels-idx1-ubyte.gz`));
  if (images.shape[0] !== labels.shape[0])
    throw new Error(`fashion-mnist ${prefix}: ${images.shape[0]} images but ${labels.shape[0]} labels`);
  return { images, labels, firstIndex };
}

/** Writes every image of `splits` as <root>/<class>/<index>.png; returns the image count. */
export async function writeImageFolder(root: string, splits: Split[], concurrency: number): Promise<number> {
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  for (const name of FOLDER_NAMES) mkdirSync(join(partial, name), { recursive: true });
  const jobs: { split: Split; i: number }[] = [];
  for (const split of splits) for (let i = 0; i < split.images.shape[0]; i++) jobs.push({ split, i });
  const digits = 5;
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  // sharp encodes on libuv's thread pool; a few promises in flight keep it busy without queuing 70k.
  const worker = async () => {
    while (next < jobs.length) {
      const { split, i } = jobs[next++];
      const [, h, w] = split.images.shape;
      const pixels = split.images.data.subarray(i * h * w, (i + 1) * h * w);
      const label = split.labels.data[i];
      const name = String(split.firstIndex + i).padStart(digits, '0');
      // Without toColourspace('b-w') sharp writes a 1-channel raw input as an RGB PNG.
      await sharp(pixels, { raw: { width: w, height: h, channels: 1 } })
        .toColourspace('b-w')
        .png({ compressionLevel: 9 })
        .toFile(join(partial, FOLDER_NAMES[label], `${name}.png`));
      done++;
      if (done % 10000 === 0) process.stderr.write(`  ${root}: ${done}/${jobs.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  const s = (performance.now() - t0) / 1000;
  console.log(`wrote ${done} PNGs to ${root} in ${s.toFixed(1)} s (load ${loadAverage()})`);
  return done;
}

function countImages(root: string): number {
  if (!existsSync(root)) return 0;
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .reduce((sum, e) => sum + readdirSync(join(root, e.name)).length, 0);
}

async function ensureTree(
  name: string,
  splits: () => Split[],
  expected: number,
  force: boolean,
  concurrency: number,
) {
  const root = join(BENCH_CACHE_DIR, name);
  const have = countImages(root);
  if (!force && have === expected) {
    console.log(`${root}: ${have} images already there (use --force to rewrite)`);
    return { root, written: false };
  }
  await writeImageFolder(root, splits(), concurrency);
  return { root, written: true };
}

async function classifyFm70k(data: string, force: boolean) {
  const out = join(BENCH_CACHE_DIR, 'fm70k-out');
  const record = join(BENCH_CACHE_DIR, 'fm70k-classify.json');
  if (!force && ['features.npy', 'predictions.csv', 'run.json'].every((f) => existsSync(join(out, f)))) {
    console.log(`${out}: classify output already there (use --force to redo)`);
    return;
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('the featscope CLI is not built: run `npm run build` first');
  if (!gnuTimeAvailable())
    console.log('note: GNU time not found (apt-get install time); peak memory will not be measured');
  rmSync(out, { recursive: true, force: true });
  const loadBefore = loadAverage();
  console.log(`featscope classify over ${data} (load ${loadBefore}) ...`);
  const m = await runMeasured(
    process.execPath,
    [CLI, 'classify', '--model', MODEL, '--data', data, '--out', out],
    { cwd: ROOT, echoStderrPrefix: '  | ' },
  );
  if (m.status !== 0) {
    process.stderr.write(m.stdout + m.stderr);
    throw new Error(`featscope classify failed (exit ${m.status}${m.signal ? `, ${m.signal}` : ''})`);
  }
  const result = {
    command: `node bin/featscope.js classify --model examples/fashion-mnist/model.onnx --data ${data} --out ${out}`,
    wallSeconds: Number(m.wallSeconds.toFixed(2)),
    peakRssMb: m.peakRssMb === null ? null : Number(m.peakRssMb.toFixed(1)),
    userSeconds: m.userSeconds,
    systemSeconds: m.systemSeconds,
    loadBefore,
    loadAfter: loadAverage(),
    date: new Date().toISOString(),
    summary: m.stdout.trim().split('\n'),
  };
  writeFileSync(record, `${JSON.stringify(result, null, 2)}\n`);
  console.log(m.stdout.trim());
  console.log(
    `classify 70k: ${result.wallSeconds} s wall, peak RSS ${result.peakRssMb ?? '?'} MB, ` +
      `user ${m.userSeconds ?? '?'} s, sys ${m.systemSeconds ?? '?'} s (load before ${loadBefore}, after ${result.loadAfter})`,
  );
  console.log(`measurement: ${record}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      force: { type: 'boolean', default: false },
      'skip-classify': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '8' },
    },
  });
  if (!fashionMnistAvailable())
    throw new Error(
      `Fashion-MNIST IDX files not found in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`,
    );
  const concurrency = Math.max(1, Number(values.concurrency));
  const force = values.force ?? false;
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  // Reading the IDX files takes well under a second; read them once, lazily, for whichever tree needs it.
  let cache: { train: Split; test: Split } | null = null;
  const splits = () => {
    cache ??= { train: readSplit('train', 0), test: readSplit('t10k', 60000) };
    return cache;
  };
  await ensureTree('fm10k', () => [{ ...splits().test, firstIndex: 0 }], 10000, force, concurrency);
  const fm70k = await ensureTree('fm70k', () => [splits().train, splits().test], 70000, force, concurrency);
  // New images make any earlier classify output stale.
  if (!values['skip-classify']) await classifyFm70k(fm70k.root, force || fm70k.written);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
