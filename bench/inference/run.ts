/**
 * Inference throughput: `featscope classify` (read + decode + preprocess + ONNX Runtime, one pass)
 * against PyTorch on the same model, images, batch size and threads, in one run, printed as a ratio.
 *
 *   npx tsx bench/inference/run.ts [--case fashion|jpeg] [--data DIR] [--batch-size N] [--threads T]
 *       [--decode-threads N|auto] [--workers W] [--n 500] [--repeat 2] [--execution-provider cpu|cuda]
 *
 * Cases:
 * - fashion (default): the bundled demo CNN over the bundled 2,000 Fashion-MNIST PNGs, against
 *   PyTorch with a main-process DataLoader (batch 256).
 * - jpeg: decoding is the bound. --n JPEG photos at ImageNet sizes (longer side 400-640 px, made
 *   once by bench/data/photos.ts from real photographs), the `imagenet` preset, and a model that
 *   costs next to nothing (bench/inference/small_cnn.py, exported once into bench/.cache/), against
 *   torchvision's ImageFolder + DataLoader with --workers worker processes (default: one per core)
 *   and batch 64. Target: featscope at least 2x torchvision's images/s.
 *
 * featscope is the library call the CLI makes (`classify`), in this process; its images/s is
 * `imagesPerSecond` (the pass over the images, after the model is loaded), best of --repeat.
 * PyTorch's is its end-to-end pass after a warm-up batch (bench/inference/torch_infer.py). Both also
 * report images per CPU-second (featscope: the whole call, all threads; PyTorch: the pass, its process
 * and its DataLoader workers), which a loaded machine skews less than wall time. With
 * --execution-provider cuda, PyTorch runs on the GPU too. The load average is printed before each tool.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEBIAN_PHOTOS, makePhotoSet, photoSetPath } from '../data/photos.js';
import { loadAverage } from '../e2e/measure.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const SMALL_MODEL = join(BENCH_CACHE_DIR, 'small-cnn-224.onnx');

const { values } = parseArgs({
  options: {
    case: { type: 'string', default: 'fashion' },
    data: { type: 'string' },
    n: { type: 'string', default: '500' },
    'batch-size': { type: 'string' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'decode-threads': { type: 'string', default: 'auto' },
    workers: { type: 'string', default: String(availableParallelism()) },
    repeat: { type: 'string', default: '2' },
    'execution-provider': { type: 'string', default: 'cpu' },
  },
});
const kind = values.case;
if (kind !== 'fashion' && kind !== 'jpeg') throw new Error(`--case must be fashion or jpeg, got ${kind}`);
const device: 'cpu' | 'cuda' = values['execution-provider'] === 'cuda' ? 'cuda' : 'cpu';
const threads = Number(values.threads);

interface Setup {
  model: string;
  data: string;
  classes: string | null;
  preprocess: { preset: 'auto' | 'imagenet' };
  batch: number;
  torchModel: string;
  workers: number;
}

async function setup(): Promise<Setup> {
  if (kind === 'fashion') {
    return {
      model: join(ROOT, 'examples/fashion-mnist/model.onnx'),
      data: values.data ?? join(ROOT, 'examples/fashion-mnist/data'),
      classes: join(ROOT, 'examples/fashion-mnist/classes.json'),
      preprocess: { preset: 'auto' },
      batch: Number(values['batch-size'] ?? 256),
      torchModel: 'fashion',
      workers: 0,
    };
  }
  const n = Number(values.n);
  const data =
    values.data ??
    (await makePhotoSet({
      out: photoSetPath(n, 400, 640),
      n,
      classes: 10,
      minSide: 400,
      maxSide: 640,
      seed: 0,
      sources: DEBIAN_PHOTOS,
    }));
  if (!existsSync(SMALL_MODEL)) {
    const r = spawnSync(PYTHON, [join(ROOT, 'bench/inference/small_cnn.py'), '--onnx', SMALL_MODEL], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`exporting the small model failed: ${r.stderr.slice(-800)}`);
  }
  return {
    model: SMALL_MODEL,
    data,
    classes: null,
    preprocess: { preset: 'imagenet' },
    batch: Number(values['batch-size'] ?? 64),
    torchModel: 'small',
    workers: Number(values.workers),
  };
}

const s = await setup();
console.log(
  `case ${kind}: ${s.data}, batch ${s.batch}, ${threads} inference threads, decode threads ${values['decode-threads']}, ` +
    `${device}, ${availableParallelism()} cores`,
);

// featscope: the library call the CLI makes (built), in this process, so that its CPU seconds (all threads,
// decode workers included) can be measured around the pass. libuv's pool is sized as the CLI does.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));
// The built library (`npm run build`): its decode workers are compiled JavaScript, as for a user; from
// the TypeScript sources each worker would first compile itself with tsx.
const built = join(ROOT, 'dist', 'pipeline', 'classify.js');
if (!existsSync(built)) {
  console.error('featscope is not built: run `npm run build` first');
  process.exit(1);
}
const { CLASSIFY_DEFAULTS, classify } = (await import(
  built
)) as typeof import('../../src/pipeline/classify.js');
let best = 0;
let bestCpu = 0;
let n = 0;
let decodeThreads = 0;
const loadBefore = loadAverage();
for (let i = 0; i < Number(values.repeat); i++) {
  const c0 = process.cpuUsage();
  const r = await classify({
    ...CLASSIFY_DEFAULTS,
    model: s.model,
    data: s.data,
    classes: s.classes,
    layer: null,
    threads,
    executionProvider: device,
    batchSize: s.batch,
    decodeThreads: values['decode-threads'] === 'auto' ? 'auto' : Number(values['decode-threads']),
    preprocess: s.preprocess,
  });
  const c = process.cpuUsage(c0);
  if (r.imagesPerSecond > best) {
    best = r.imagesPerSecond;
    // CPU of the whole call (model load and worker start included): an upper bound for the pass.
    bestCpu = (c.user + c.system) / 1e6;
  }
  n = r.paths.length;
  decodeThreads = r.decodeThreads;
}
console.log(
  `featscope classify: ${n} images, ${decodeThreads} decode threads: ${best.toFixed(0)} images/s, ` +
    `${(n / bestCpu).toFixed(0)} images per CPU-second (best of ${values.repeat}; load before ${loadBefore})`,
);

const py = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
if (py.status !== 0) {
  console.log(
    'PyTorch peer skipped: /usr/bin/python3 with torch and torchvision not found (apt-get install python3-torch python3-torchvision)',
  );
} else {
  const args = [
    join(ROOT, 'bench/inference/torch_infer.py'),
    '--data',
    s.data,
    '--model',
    s.torchModel,
    '--batch-size',
    String(s.batch),
    '--threads',
    String(threads),
    '--workers',
    String(s.workers),
    '--device',
    device,
  ];
  const peerLoad = loadAverage();
  const t = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = t.stdout.trim().split('\n').pop() ?? '';
  try {
    const j = JSON.parse(last) as {
      n: number;
      end_to_end: { images_per_s: number; cpu_seconds: number };
      forward_only: { images_per_s: number };
      torch: string;
    };
    console.log(
      `PyTorch ${j.torch} (DataLoader num_workers=${s.workers}): ${j.end_to_end.images_per_s.toFixed(0)} images/s end to end, ` +
        `${(j.n / j.end_to_end.cpu_seconds).toFixed(0)} images per CPU-second, ` +
        `${j.forward_only.images_per_s.toFixed(0)} forward only (load before ${peerLoad})`,
    );
    console.log(
      `ratio featscope / PyTorch in images per CPU-second (less sensitive to other load): ${(n / bestCpu / (j.n / j.end_to_end.cpu_seconds)).toFixed(2)}x`,
    );
    const ratio = best / j.end_to_end.images_per_s;
    const target = kind === 'jpeg' ? 2 : 1;
    console.log(
      `ratio featscope / PyTorch (end to end): ${ratio.toFixed(2)}x (target >= ${target}x: ${ratio >= target ? 'met' : 'NOT met'}; load after ${loadAverage()})`,
    );
  } catch {
    console.log(`PyTorch peer failed: ${t.stderr.slice(-800)}`);
  }
}
