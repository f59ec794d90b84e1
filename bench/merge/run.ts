/**
 * `featscope merge` at ImageNet validation size: 4 parts of 50,000 images x 1,000 classes (a 660 MB
 * predictions table) and 512-d features, made synthetically (random probabilities, the part layout of
 * src/pipeline/part.ts), merged by the built CLI under GNU time. The peer is `cat` of the same part
 * files: the floor for moving those bytes. Prints wall seconds, peak RSS and the ratio, with the load.
 *
 *   npm run build && npx tsx bench/merge/run.ts [--images 50000] [--classes 1000] [--parts 4]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { encodeNpyFloat32 } from '../../src/io/npy.js';
import type { RunManifest } from '../../src/pipeline/manifest.js';
import { commitPart } from '../../src/pipeline/part.js';
import { writePredictionsCsv } from '../../src/pipeline/predictions-table.js';
import { shardRange } from '../../src/pipeline/shard.js';
import { FEATSCOPE_VERSION } from '../../src/pipeline/version.js';
import { formatTable } from '../lib/table.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '50000' },
    classes: { type: 'string', default: '1000' },
    parts: { type: 'string', default: '4' },
    dim: { type: 'string', default: '512' },
  },
});
const total = Number(values.images);
const C = Number(values.classes);
const N = Number(values.parts);
const D = Number(values.dim);
const out = join(ROOT, 'bench', '.cache', `merge-${total}x${C}`);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const classes = Array.from({ length: C }, (_, c) => `n${String(c).padStart(8, '0')}`);
let seed = 1;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
// Parts made by an earlier (interrupted) invocation are kept: making them is the slow part.
mkdirSync(join(out, 'parts'), { recursive: true });
for (let index = 0; index < N; index++) {
  if (existsSync(join(out, 'parts', `part-${index}-of-${N}`, 'DONE'))) continue;
  seed = index + 1;
  const { start, end } = shardRange(total, { index, count: N });
  const n = end - start;
  const probs = new Float32Array(n * C);
  const topIds = new Int32Array(n * 3);
  const topConf = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += probs[i * C + c] = rand();
    for (let c = 0; c < C; c++) probs[i * C + c] /= s;
    for (let j = 0; j < 3; j++) {
      topIds[i * 3 + j] = (start + i + j) % C;
      topConf[i * 3 + j] = probs[i * C + topIds[i * 3 + j]];
    }
  }
  const paths = Array.from(
    { length: n },
    (_, i) => `${classes[(start + i) % C]}/ILSVRC2012_val_${String(start + i + 1).padStart(8, '0')}.JPEG`,
  );
  const labelIds = Int32Array.from({ length: n }, (_, i) => (start + i) % C);
  const features = Float32Array.from({ length: n * D }, rand);
  const manifest: RunManifest = {
    featscope: FEATSCOPE_VERSION,
    command: 'classify',
    createdAt: new Date().toISOString(),
    model: {
      path: 'synthetic.onnx',
      sha256: '0'.repeat(64),
      layer: 'features',
      layerModulePath: null,
      layerMatchedAs: 'default',
    },
    data: { root: 'val', n, classes, skipped: [] },
    features: { file: 'features.npy', n, dim: D },
    options: { preprocess: {}, output: 'logits', outputKind: 'logits', layout: 'nchw', topK: 3 },
    stages: { classify: 1 },
    metrics: { imagesPerSecond: n },
    warnings: [],
    classifyKey: 'synthetic',
    shard: { index, count: N, start, end, total, scan: 'synthetic', host: 'bench' },
    outputs: ['predictions.csv', 'features.npy', 'run.json', 'DONE'],
  };
  await commitPart(out, { index, count: N }, async (tmp) => {
    await writeFileAtomic(join(tmp, 'features.npy'), encodeNpyFloat32(features, [n, D]));
    await writePredictionsCsv(join(tmp, 'predictions.csv'), {
      paths,
      labelIds,
      classes,
      k: 3,
      topIds,
      topConf,
      probs,
    });
    writeFileSync(join(tmp, 'run.json'), JSON.stringify(manifest));
  });
  console.log(`made part ${index} of ${N} (${n} images)`);
}

const partFiles = (f: string) =>
  Array.from({ length: N }, (_, i) => join(out, 'parts', `part-${i}-of-${N}`, f));
const timed = (cmd: string, args: string[]) => {
  const before = load();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [wall, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, mb: kb / 1024, load: `${before} -> ${load()}` };
};
const merge = timed(process.execPath, [join(ROOT, 'bin', 'featscope.js'), 'merge', '--out', out]);
const cat = timed('/bin/sh', [
  '-c',
  `cat ${[...partFiles('predictions.csv'), ...partFiles('features.npy')].join(' ')} > ${join(out, 'cat.bin')}`,
]);
rmSync(join(out, 'cat.bin'), { force: true });
const mb = (f: string) => (statSync(join(out, f)).size / 2 ** 20).toFixed(0);
console.log(
  `${total} images x ${C} classes, ${D}-d features, ${N} parts: predictions.csv ${mb('predictions.csv')} MB, features.npy ${mb('features.npy')} MB`,
);
console.log(
  formatTable(
    ['command', 'wall s', 'peak RSS MB', 'load (before -> after)'],
    [
      ['featscope merge', merge.wall.toFixed(1), merge.mb.toFixed(0), merge.load],
      ['cat of the part files', cat.wall.toFixed(1), cat.mb.toFixed(0), cat.load],
    ],
  ),
);
console.log(`merge / cat: ${(merge.wall / cat.wall).toFixed(2)}x the time`);
