/**
 * A big model's classify against ONNX Runtime alone: how close `classify` (read, decode, resize and
 * inference, overlapped) comes to the throughput of the model itself, for each batch size and number
 * of decode threads, in one run. This is how classify's batch size, thread split and decode overlap
 * were chosen (bench/README.md, "Big models").
 *
 *   npx tsx bench/inference/big-model.ts [--model bench/.cache/vgg16-100.onnx] [--layer classifier.4]
 *       [--n 96] [--batch-sizes 8,32,64] [--threads T] [--decode-threads 1,2,auto]
 *
 * Images: the first --n JPEG photos of bench/data/photos.ts's 200-photo tree (400-640 px), the
 * `imagenet` preset. ONNX Runtime alone: the same session as classify's (ModelRunner: the feature
 * layer exposed as an output, --threads intra-op threads), fed one batch of those images, already
 * preprocessed, over and over for --n images after a warm-up batch, right before and right after each
 * classify run (the ratio is against their mean). classify: the library call, its
 * `imagesPerSecond` (the pass over the images, model loaded). The VGG16 model is exported once by
 * `npx tsx bench/e2e/run.ts --case vgg16` (or scripts/python/export_vgg16.py --num-classes 100).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeInput, ModelRunner, readModelFile, resolveFeatureLayer } from '../../src/model/session.js';
import { CLASSIFY_DEFAULTS, classify } from '../../src/pipeline/classify.js';
import { prepareImage } from '../../src/preprocess/image-tensor.js';
import { resolvePreprocess } from '../../src/preprocess/options.js';
import { DEBIAN_PHOTOS, makePhotoSet, photoSetPath } from '../data/photos.js';
import { loadAverage } from '../e2e/measure.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';
import { formatTable } from '../lib/table.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(BENCH_CACHE_DIR, 'vgg16-100.onnx') },
    layer: { type: 'string', default: 'classifier.4' },
    n: { type: 'string', default: '96' },
    'batch-sizes': { type: 'string', default: '8,32,64' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'decode-threads': { type: 'string', default: '1,2,auto' },
  },
});
const model = values.model!;
if (!existsSync(model)) {
  console.error(`no model at ${model}: run \`npx tsx bench/e2e/run.ts --case vgg16\` once to export it`);
  process.exit(1);
}
const n = Number(values.n);
const threads = Number(values.threads);
const batchSizes = values['batch-sizes']!.split(',').map(Number);
const decodeThreads = values['decode-threads']!.split(',').map((d) =>
  d === 'auto' ? ('auto' as const) : Number(d),
);

// The first n photos, as an ImageFolder of links (the same files classify and ORT alone see).
const photos = await makePhotoSet({
  out: photoSetPath(200, 400, 640),
  n: 200,
  classes: 10,
  minSide: 400,
  maxSide: 640,
  seed: 0,
  sources: DEBIAN_PHOTOS,
});
const files = readdirSync(photos)
  .sort()
  .flatMap((c) =>
    readdirSync(join(photos, c))
      .sort()
      .map((f) => join(c, f)),
  )
  .slice(0, n);
const data = join(tmpdir(), `featscope-bench-big-model-${process.pid}`);
for (const f of files) {
  mkdirSync(join(data, f, '..'), { recursive: true });
  symlinkSync(join(photos, f), join(data, f));
}

const { bytes, info } = await readModelFile(model);
const layer = resolveFeatureLayer(info, values.layer!, model);
const pre = resolvePreprocess({ preset: 'imagenet' }, describeInput(info, model));
console.log(
  `${model}: ${n} photos, ${threads} intra-op threads, ${availableParallelism()} cores (load ${loadAverage()})`,
);

const rows: string[][] = [];
for (const b of batchSizes) {
  // ONNX Runtime alone on one batch of real, preprocessed images, measured before and after each
  // classify run: the load of a shared machine moves by 2-4x within minutes, so each classify run is
  // compared with the mean of the two ONNX Runtime runs around it.
  const runner = await ModelRunner.create(bytes, info, model, layer.tensor, {
    threads,
    executionProvider: 'cpu',
  });
  const per = 3 * 224 * 224;
  const tensor = new Float32Array(b * per);
  for (let i = 0; i < b; i++) {
    const img = await prepareImage(readFileSync(join(data, files[i % files.length])), pre);
    tensor.set(img.data, i * per);
  }
  await runner.run(tensor, b, 3, 224, 224);
  const batches = Math.ceil(n / b);
  const ortAlone = async () => {
    const t0 = performance.now();
    for (let i = 0; i < batches; i++) await runner.run(tensor, b, 3, 224, 224);
    return (batches * b) / ((performance.now() - t0) / 1000);
  };
  let before = await ortAlone();
  for (const d of decodeThreads) {
    const r = await classify({
      ...CLASSIFY_DEFAULTS,
      model,
      data,
      layer: values.layer!,
      threads,
      executionProvider: 'cpu',
      batchSize: b,
      decodeThreads: d,
    });
    const after = await ortAlone();
    const ort = (before + after) / 2;
    rows.push([
      String(b),
      d === 'auto' ? `auto: ${r.decodeThreads}` : String(r.decodeThreads),
      `${before.toFixed(2)} / ${after.toFixed(2)}`,
      r.imagesPerSecond.toFixed(2),
      `${((r.imagesPerSecond / ort) * 100).toFixed(1)}%`,
      loadAverage(),
    ]);
    console.log(rows.at(-1)!.join('  '));
    if (d === 'auto') console.log(`  auto: ${JSON.stringify(r.decodePlan)}`);
    before = after;
  }
  await runner.release();
}
rmSync(data, { recursive: true, force: true });
console.log(
  `\n${formatTable(['batch', 'decode threads', 'ORT alone img/s (before / after)', 'classify img/s', 'classify / ORT', 'load'], rows)}`,
);
