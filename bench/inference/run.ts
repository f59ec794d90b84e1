/**
 * Inference throughput: `featscope classify` (decode + preprocess + ONNX Runtime, one pass) against
 * PyTorch on the same model, images, batch size and thread count, in one run, printed as a ratio.
 *
 *   npx tsx bench/inference/run.ts [--data DIR] [--batch-size 256] [--threads 2] [--repeat 2]
 *
 * The PyTorch peer (bench/inference/torch_infer.py, Debian python3-torch) is skipped with a message
 * when /usr/bin/python3 or torch is missing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLASSIFY_DEFAULTS, classify } from '../../src/pipeline/classify.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(ROOT, 'examples/fashion-mnist/data') },
    'batch-size': { type: 'string', default: '256' },
    threads: { type: 'string', default: '2' },
    repeat: { type: 'string', default: '2' },
  },
});
const batch = Number(values['batch-size']);
const threads = Number(values.threads);

let best = 0;
let n = 0;
for (let i = 0; i < Number(values.repeat); i++) {
  const r = await classify({
    ...CLASSIFY_DEFAULTS,
    model: join(ROOT, 'examples/fashion-mnist/model.onnx'),
    data: values.data!,
    classes: join(ROOT, 'examples/fashion-mnist/classes.json'),
    layer: null,
    threads,
    executionProvider: 'cpu',
    batchSize: batch,
  });
  best = Math.max(best, r.imagesPerSecond);
  n = r.paths.length;
}
console.log(
  `featscope classify: ${n} images, batch ${batch}, ${threads} threads: ${best.toFixed(0)} images/s (end to end, best of ${values.repeat})`,
);

const py = spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
if (py.status !== 0) {
  console.log(
    'PyTorch peer skipped: /usr/bin/python3 with torch and torchvision not found (apt-get install python3-torch python3-torchvision)',
  );
} else {
  const t = spawnSync(
    '/usr/bin/python3',
    [
      join(ROOT, 'bench/inference/torch_infer.py'),
      '--data',
      values.data!,
      '--model',
      'fashion',
      '--batch-size',
      String(batch),
      '--threads',
      String(threads),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const last = t.stdout.trim().split('\n').pop() ?? '';
  try {
    const j = JSON.parse(last) as {
      end_to_end: { images_per_s: number };
      forward_only: { images_per_s: number };
      torch: string;
    };
    console.log(
      `PyTorch ${j.torch}: ${j.end_to_end.images_per_s.toFixed(0)} images/s end to end, ${j.forward_only.images_per_s.toFixed(0)} forward only`,
    );
    console.log(`ratio featscope / PyTorch (end to end): ${(best / j.end_to_end.images_per_s).toFixed(2)}x`);
  } catch {
    console.log(`PyTorch peer failed: ${t.stderr.slice(-500)}`);
  }
}
