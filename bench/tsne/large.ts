/**
 * t-SNE at 70k, 300k and 1M points (README "A million points"): each size runs in a process of its own
 * under GNU time (`/usr/bin/time -v`), so the time and the peak RSS are the whole process's (Node,
 * loading the features, tsne(), writing the map). Features: the demo CNN's penultimate features over
 * shifted and flipped Fashion-MNIST images (bench/lib/augmented-features.ts; built once, cached in
 * bench/.cache/fm-augmented/), labels from the source images, so 10-NN label accuracy means what it
 * means at 70k. Quality is computed here, after the run: 10-NN label accuracy over every point, and
 * trustworthiness@10 over a seeded sample of query points (src/reduce/metrics/queries.ts).
 *
 *   npx tsx bench/tsne/large.ts [--sizes 70000,300000,1000000] [--threads 2] [--seed 0] [--build-only]
 *
 * Prints one row per size and writes bench/out/tsne-large-<time>.json. Run it under the shared lock
 * when others use the machine; check free memory first (1M needs ~3 GB here and ~1.5 GB for the
 * quality pass in this process).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { embeddingQuality } from '../../src/reduce/metrics/embedding-quality.js';
import { augmentedCnnFeatures } from '../lib/augmented-features.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';
import { formatTable } from '../lib/table.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '70000,300000,1000000' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    'build-only': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const largest = Math.max(...sizes);
const inputs = await augmentedCnnFeatures(largest, (first, s) =>
  console.log(`features: rows ${first}.. built in ${s.toFixed(1)} s`),
);
console.log(`features: demo CNN over augmented Fashion-MNIST, ${inputs.n} x ${inputs.d}`);
if (values['build-only']) process.exit(0);

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
interface Row {
  n: number;
  wallSeconds: number;
  tsneSeconds: number;
  peakRssMb: number;
  trustworthiness10: number;
  knnLabelAccuracy10: number;
  trustQueries: number;
  stages: Record<string, number>;
  loadBefore: string;
  loadAfter: string;
  note: string;
}
const rows: Row[] = [];
for (const n of sizes) {
  const out = join(BENCH_CACHE_DIR, `tsne-large-${n}.npy`);
  const loadBefore = loadavg();
  const res = spawnSync(
    '/usr/bin/time',
    [
      '-v',
      process.execPath,
      '--import',
      'tsx',
      join(ROOT, 'bench/tsne/large-child.ts'),
      '--n',
      String(n),
      '--threads',
      values.threads!,
      '--seed',
      values.seed!,
      '--out',
      out,
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const loadAfter = loadavg();
  if (res.status !== 0) {
    console.log(
      `N=${n}: failed (${res.status}): ${(res.stderr || '').trim().split('\n').slice(-25).join('\n')}`,
    );
    continue;
  }
  const info = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr)?.[1]);
  const wall = parseWall(
    /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(res.stderr)?.[1] ?? '',
  );
  const emb = decodeNpyMatrix(readFileSync(out), out).data;
  const q = embeddingQuality(
    inputs.features.subarray(0, n * inputs.d),
    n,
    inputs.d,
    emb,
    2,
    inputs.labels.subarray(0, n),
  );
  const row: Row = {
    n,
    wallSeconds: wall,
    tsneSeconds: info.tsneSeconds,
    peakRssMb: peakKb / 1024,
    trustworthiness10: q.trustworthiness10,
    knnLabelAccuracy10: q.knnLabelAccuracy10!,
    trustQueries: q.queryPoints,
    stages: info.stages,
    loadBefore,
    loadAfter,
    note: `${info.method}, kNN ${info.knnMethod}, ${info.threads} threads`,
  };
  rows.push(row);
  const st = Object.entries(row.stages)
    .map(([k, v]) => `${k.replace('tsne:', '')} ${v.toFixed(1)}`)
    .join(', ');
  console.log(
    `N=${n}: ${wall.toFixed(1)} s wall (tsne ${row.tsneSeconds.toFixed(1)} s: ${st}), peak RSS ${row.peakRssMb.toFixed(0)} MB, ` +
      `trust@10 ${row.trustworthiness10.toFixed(4)}, 10-NN acc ${row.knnLabelAccuracy10.toFixed(4)}; load ${loadBefore} -> ${loadAfter}`,
  );
}
console.log('');
console.log(
  formatTable(
    ['N', 'wall s', 'tsne() s', 'peak RSS MB', 'trust@10', '10-NN acc', 'load before / after', 'note'],
    rows.map((r) => [
      r.n.toLocaleString('en'),
      r.wallSeconds.toFixed(1),
      r.tsneSeconds.toFixed(1),
      r.peakRssMb.toFixed(0),
      r.trustworthiness10.toFixed(4),
      r.knnLabelAccuracy10.toFixed(4),
      `${r.loadBefore} / ${r.loadAfter}`,
      r.note,
    ]),
  ),
);
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, `tsne-large-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(outFile, `${JSON.stringify({ threads: Number(values.threads), rows }, null, 2)}\n`);
console.log(`results: ${outFile}`);

/** GNU time's "h:mm:ss" or "m:ss.ss" in seconds. */
function parseWall(s: string): number {
  return s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}
