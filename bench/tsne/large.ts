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
 *       [--fitsne-sizes 300000] [--fitsne-script bench/tsne/fitsne_tsne.py]
 *
 * FIt-SNE (the peer bench/peers/build.sh builds, run by bench/tsne/fitsne_tsne.py) runs at the sizes of
 * --fitsne-sizes, under GNU time as well; without its script or its build it is reported as skipped.
 * Prints one row per size and writes bench/out/tsne-large-<time>.json. Run it under the shared lock
 * when others use the machine; check free memory first (1M needs ~3 GB here and ~1.5 GB for the
 * quality pass in this process).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeNpyMatrix, encodeNpyFloat32 } from '../../src/io/npy.js';
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
    'fitsne-sizes': { type: 'string', default: '' },
    'fitsne-script': { type: 'string', default: join(import.meta.dirname, 'fitsne_tsne.py') },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const fitsneSizes = new Set(values['fitsne-sizes']!.split(',').filter(Boolean).map(Number));
const largest = Math.max(...sizes);
const inputs = await augmentedCnnFeatures(largest, (first, s) =>
  console.log(`features: rows ${first}.. built in ${s.toFixed(1)} s`),
);
console.log(`features: demo CNN over augmented Fashion-MNIST, ${inputs.n} x ${inputs.d}`);
if (values['build-only']) process.exit(0);

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
interface Run {
  wallSeconds: number;
  tsneSeconds: number;
  peakRssMb: number;
  /** User + system CPU seconds of the process (every thread), from GNU time. */
  cpuSeconds: number;
  stages: Record<string, number>;
  /** featscope: resident MB when each stage ended, and the peak so far. */
  stageRssMb?: Record<string, [number, number]>;
  loadBefore: string;
  loadAfter: string;
  note: string;
}
interface Row extends Run {
  n: number;
  tool: string;
  trustworthiness10: number;
  knnLabelAccuracy10: number;
  trustQueries: number;
}
const rows: Row[] = [];
for (const n of sizes) {
  const tools = fitsneSizes.has(n) ? ['featscope', 'FIt-SNE'] : ['featscope'];
  for (const tool of tools) {
    const out = join(BENCH_CACHE_DIR, `tsne-large-${tool}-${n}.npy`);
    const run = tool === 'featscope' ? runFeatscope(n, out) : runFitsne(n, out);
    if (typeof run === 'string') {
      console.log(`N=${n} ${tool}: ${run}`);
      continue;
    }
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
      tool,
      ...run,
      trustworthiness10: q.trustworthiness10,
      knnLabelAccuracy10: q.knnLabelAccuracy10!,
      trustQueries: q.queryPoints,
    };
    rows.push(row);
    const st = Object.entries(row.stages)
      .map(([k, v]) => `${k.replace('tsne:', '')} ${v.toFixed(1)}`)
      .join(', ');
    const mem = Object.entries(row.stageRssMb ?? {})
      .map(([k, [now, peak]]) => `${k.replace('tsne:', '')} ${now} (${peak})`)
      .join(', ');
    if (mem) console.log(`N=${n} ${tool}: RSS MB at the end of each stage (peak so far): ${mem}`);
    console.log(
      `N=${n} ${tool}: ${row.wallSeconds.toFixed(1)} s wall, ${row.cpuSeconds.toFixed(1)} s CPU (fit ${row.tsneSeconds.toFixed(1)} s${st ? `: ${st}` : ''}), ` +
        `peak RSS ${row.peakRssMb.toFixed(0)} MB, trust@10 ${row.trustworthiness10.toFixed(4)} (${row.trustQueries} queries), ` +
        `10-NN acc ${row.knnLabelAccuracy10.toFixed(4)}; load ${row.loadBefore} -> ${row.loadAfter}`,
    );
  }
}
console.log('');
console.log(
  formatTable(
    [
      'N',
      'tool',
      'wall s',
      'CPU s',
      'fit s',
      'peak RSS MB',
      'trust@10',
      '10-NN acc',
      'load before / after',
      'note',
    ],
    rows.map((r) => [
      r.n.toLocaleString('en'),
      r.tool,
      r.wallSeconds.toFixed(1),
      r.cpuSeconds.toFixed(1),
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

/** Runs a command under GNU time; its last stdout line is JSON. A string says why there is no result. */
function timed(
  command: string,
  args: string[],
): { info: Record<string, unknown>; run: Omit<Run, 'tsneSeconds' | 'stages' | 'note'> } | string {
  const loadBefore = loadavg();
  const res = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' },
  });
  const loadAfter = loadavg();
  if (res.status === 3) return 'skipped: not built (bench/peers/build.sh)';
  if (res.status !== 0) {
    return `failed (${res.status}): ${(res.stderr || '').trim().split('\n').slice(-25).join('\n')}`;
  }
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr)?.[1]);
  const wall = parseWall(
    /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(res.stderr)?.[1] ?? '',
  );
  const cpu = (what: string) =>
    Number(new RegExp(`${what} time \\(seconds\\): (\\S+)`).exec(res.stderr)?.[1] ?? 0);
  return {
    info: JSON.parse(res.stdout.trim().split('\n').at(-1)!),
    run: {
      wallSeconds: wall,
      peakRssMb: peakKb / 1024,
      cpuSeconds: cpu('User') + cpu('System'),
      loadBefore,
      loadAfter,
    },
  };
}

function runFeatscope(n: number, out: string): Run | string {
  const args = ['--import', 'tsx', join(ROOT, 'bench/tsne/large-child.ts'), '--n', String(n)];
  args.push('--threads', values.threads!, '--seed', values.seed!, '--out', out);
  const r = timed(process.execPath, args);
  if (typeof r === 'string') return r;
  const i = r.info as {
    tsneSeconds: number;
    stages: Record<string, number>;
    stageRssMb: Record<string, [number, number]>;
    method: string;
    knnMethod: string;
    threads: number;
  };
  return {
    ...r.run,
    tsneSeconds: i.tsneSeconds,
    stages: i.stages,
    stageRssMb: i.stageRssMb,
    note: `${i.method}, kNN ${i.knnMethod}, ${i.threads} threads`,
  };
}

function runFitsne(n: number, out: string): Run | string {
  const script = values['fitsne-script']!;
  if (!existsSync(script))
    return `skipped: ${script} not found (it comes with the FIt-SNE peer of bench/tsne/run.ts)`;
  const input = join(BENCH_CACHE_DIR, `tsne-large-input-${n}.npy`);
  if (!existsSync(input))
    writeFileSync(input, encodeNpyFloat32(inputs.features.subarray(0, n * inputs.d), [n, inputs.d]));
  const r = timed('/usr/bin/python3', [
    script,
    '--input',
    input,
    '--output',
    out,
    '--threads',
    values.threads!,
    '--seed',
    values.seed!,
  ]);
  if (typeof r === 'string') return r;
  return {
    ...r.run,
    tsneSeconds: (r.info as { seconds: number }).seconds,
    stages: {},
    note: `FFT, Annoy kNN, ${values.threads} threads`,
  };
}
