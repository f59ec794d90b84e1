/**
 * Where a JPEG photo's CPU time goes, featscope against Pillow + torchvision, step by step on one
 * thread (bench/README.md, "Where a JPEG's time goes"):
 *
 *   npx tsx bench/inference/jpeg-steps.ts [--n 150] [--data DIR]
 *
 * Over the first --n photos of the JPEG case's set (bench/.cache/photos-500-400-640, made by
 * bench/data/photos.ts when missing), after 10 warm-up photos: CPU milliseconds per photo
 * (`process.cpuUsage()`, every thread of the process, so libvips' own threads count) of featscope's
 * decode (decodeImage: sharp/libvips), resize + crop + normalise (WebAssembly, and the TypeScript
 * twin), and the two together (prepareImage); Pillow + torchvision's per step come from
 * bench/inference/jpeg_steps.py (`time.process_time()`). CPU time, not wall time: the load of other
 * jobs moves it much less. Not a substitute for the end-to-end run (bench/inference/run.ts --case jpeg).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage } from '../../src/preprocess/decode.js';
import { prepareImage } from '../../src/preprocess/image-tensor.js';
import type { ResolvedPreprocess } from '../../src/preprocess/options.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../src/preprocess/options.js';
import { type PreprocessKernels, resizeCropNormalizeInto } from '../../src/preprocess/transform.js';
import { DEBIAN_PHOTOS, makePhotoSet, photoSetPath } from '../data/photos.js';
import { loadAverage } from '../e2e/measure.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '150' }, data: { type: 'string' } },
});
const n = Number(values.n);
const data =
  values.data ??
  (await makePhotoSet({
    out: photoSetPath(500, 400, 640),
    n: 500,
    classes: 10,
    minSide: 400,
    maxSide: 640,
    seed: 0,
    sources: DEBIAN_PHOTOS,
  }));
const files = readdirSync(data, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.jpe?g$/i.test(f))
  .sort()
  .slice(0, n)
  .map((f) => join(data, f));
const bytes = files.map((f) => readFileSync(f));
const pre: ResolvedPreprocess = {
  preset: 'imagenet',
  channels: 3,
  resize: 256,
  cropHeight: 224,
  cropWidth: 224,
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
};

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** CPU ms per photo of f over every photo, after 10 warm-up calls. */
async function perPhoto(f: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(10, files.length); i++) await f(i);
  const c0 = cpuMs();
  for (let i = 0; i < files.length; i++) await f(i);
  return (cpuMs() - c0) / files.length;
}

console.log(`${files.length} photos of ${data}, one thread; load before ${loadAverage()}`);
const load = loadAverage();
const decoded = await Promise.all(bytes.map((b) => decodeImage(b, 3)));
const out = new Float32Array(3 * 224 * 224);
const resize = (k: PreprocessKernels) => (i: number) =>
  resizeCropNormalizeInto(decoded[i], 256, 224, 224, IMAGENET_MEAN, IMAGENET_STD, out, 0, k);
const ours = {
  decode: await perPhoto((i) => decodeImage(bytes[i], 3)),
  wasm: await perPhoto(resize('auto')),
  ts: await perPhoto(resize('typescript')),
  whole: await perPhoto((i) => prepareImage(bytes[i], pre)),
};

const py = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'jpeg_steps.py'), ...files], {
  encoding: 'utf8',
  maxBuffer: 16 << 20,
});
const peer =
  py.status === 0
    ? (JSON.parse(py.stdout.trim().split('\n').pop()!) as {
        pillow: string;
        torchvision: string;
        steps: Record<string, number>;
      })
    : null;
if (!peer) console.log(`Pillow peer failed: ${py.stderr.slice(-600)}`);
const p = peer?.steps;
const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
const rows: [string, string, string][] = [
  ['decode to RGB (featscope: sharp/libvips; Pillow: libjpeg-turbo)', f(ours.decode), f(p?.decode)],
  [
    'Resize(256) + CenterCrop(224) + ToTensor + Normalize (featscope: WebAssembly)',
    f(ours.wasm),
    f(p?.transforms),
  ],
  ['  the same, featscope TypeScript twin', f(ours.ts), ''],
  [
    '  Pillow per step: Resize / CenterCrop / ToTensor / Normalize',
    '',
    p ? [p.resize, p.crop, p.to_tensor, p.normalize].map(f).join(' / ') : '-',
  ],
  ['whole (read bytes -> normalised CHW float32)', f(ours.whole), f(p?.whole)],
];
console.log(`\nCPU ms per photo${peer ? ` (Pillow ${peer.pillow}, torchvision ${peer.torchvision})` : ''}`);
console.log('| step | featscope | Pillow + torchvision |\n| --- | ---: | ---: |');
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
console.log(`load before ${load}, after ${loadAverage()}`);
