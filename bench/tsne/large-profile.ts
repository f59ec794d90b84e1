/**
 * Where the time and memory of a large t-SNE go (a profile for README "A million points", not a
 * benchmark against peers): on the first --n rows of the augmented demo-CNN features
 * (bench/lib/augmented-features.ts), times the PCA pre-reduction, each kind of NN-descent step, the
 * 10-NN recall of the graph on a seeded sample of points (against an exact scan), P, and the gradient:
 * the attractive forces and the FFT repulsion each on one thread, and the whole parallel evaluation,
 * at the initial layout and at a spread-out layout (--layout FILE.npy: a finished map of >= n rows in
 * input order, e.g. bench/tsne/large.ts's output). Prints wall and CPU seconds (CPU of every thread of
 * the process) and RSS after each stage.
 *
 *   npx tsx bench/tsne/large-profile.ts [--n 300000] [--threads 2] [--evals 5] [--layout FILE.npy]
 *       [--skip-gradient]
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { defaultNnDescentParams } from '../../src/reduce/knn/nn-descent.js';
import { nnDescentParallel } from '../../src/reduce/knn/parallel-nn-descent.js';
import { pca } from '../../src/reduce/pca/pca.js';
import { orderedJointProbabilitiesAsync } from '../../src/reduce/tsne/affinities-ordered.js';
import { AttractionKernel } from '../../src/reduce/tsne/attraction-kernel.js';
import { FftRepulsion2d } from '../../src/reduce/tsne/gradient-fft.js';
import { permuteRows } from '../../src/reduce/tsne/locality-order.js';
import { ParallelGradient } from '../../src/reduce/tsne/parallel-gradient.js';
import { augmentedCnnFeatures } from '../lib/augmented-features.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '300000' },
    threads: { type: 'string', default: '2' },
    evals: { type: 'string', default: '5' },
    layout: { type: 'string' },
    'recall-queries': { type: 'string', default: '200' },
    'skip-gradient': { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const threads = Number(values.threads);
const evals = Number(values.evals);
const K = 90;
const DIMS = 50;

const rssMb = () => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const get = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(s)![1]) / 1024;
  return `RSS ${get('VmRSS').toFixed(0)} MB (peak ${get('VmHWM').toFixed(0)})`;
};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
async function stage<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const w0 = performance.now();
  const c0 = cpu();
  const r = await f();
  const wall = (performance.now() - w0) / 1000;
  const c = cpu() - c0;
  console.log(
    `${name}: ${wall.toFixed(2)} s wall, ${c.toFixed(2)} s CPU (${(c / wall).toFixed(2)} cores), ${rssMb()}`,
  );
  return r;
}

console.log(`load ${readFileSync('/proc/loadavg', 'utf8').trim()}; n = ${n}, threads ${threads}`);
const inputs = await augmentedCnnFeatures(n);
const features = await stage('PCA-50', () => {
  const reduced = pca(inputs.features, n, inputs.d, DIMS, { seed: 0 });
  const f = new Float32Array(new SharedArrayBuffer(4 * n * DIMS));
  f.set(reduced.projected);
  return { f, comps: reduced.projected };
});
const params = defaultNnDescentParams(n, K);
console.log(`NN-descent params ${JSON.stringify(params)}`);
const steps: Record<string, number> = {};
const heap = await stage('kNN (NN-descent)', () =>
  nnDescentParallel(features.f, n, DIMS, K, params, 0, threads, steps),
);
console.log(
  `  per step kind (s): ${Object.entries(steps)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`)
    .join(', ')}`,
);

// 10-NN recall on a seeded sample of rows against an exact scan (squared distances in float64).
await stage('recall check', () => {
  const q = Number(values['recall-queries']);
  const data = features.f;
  let hits = 0;
  const best = new Float64Array(n);
  for (let s = 0; s < q; s++) {
    const i = Math.floor((((s * 2654435761) % 4294967296) / 4294967296) * n);
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let c = 0; c < DIMS; c++) {
        const t = data[i * DIMS + c] - data[j * DIMS + c];
        acc += t * t;
      }
      best[j] = j === i ? Number.POSITIVE_INFINITY : acc;
    }
    const idx = Int32Array.from(best.keys())
      .sort((a, b) => best[a] - best[b])
      .subarray(0, 10);
    const truth = new Set(idx);
    for (let j = 0; j < 10; j++) if (truth.has(heap.indices[i * K + j])) hits++;
  }
  console.log(`  10-NN recall ${(hits / (10 * q)).toFixed(4)} over ${q} rows`);
});

const { p, order } = await stage('affinities (P in locality order)', () =>
  orderedJointProbabilitiesAsync(heap.indices, heap.distances as Float32Array, n, K, 30, threads),
);
console.log(`  P: ${p.cols.length} entries (${(p.cols.length / n).toFixed(1)} a row)`);
if (values['skip-gradient']) process.exit(0);

const initial = new Float64Array(2 * n);
for (let i = 0; i < n; i++) {
  initial[2 * i] = features.comps[i * DIMS] * 1e-4;
  initial[2 * i + 1] = features.comps[i * DIMS + 1] * 1e-4;
}
const layouts: [string, Float64Array][] = [['initial', permuteRows(initial, order, 2)]];
if (values.layout && existsSync(values.layout)) {
  const m = decodeNpyMatrix(readFileSync(values.layout), values.layout);
  layouts.push([
    `spread (${values.layout})`,
    permuteRows(Float64Array.from(m.data.subarray(0, 2 * n)), order, 2),
  ]);
}
const engine = await stage('gradient engine start', () => ParallelGradient.create(p, 2, 'fft', 0.5, threads));
const attractionOne = new AttractionKernel(p, 2);
const fftOne = new FftRepulsion2d();
for (const [name, layout] of layouts) {
  const y = engine.allocate(2 * n);
  y.set(layout);
  const attr = engine.allocate(2 * n);
  const rep = engine.allocate(2 * n);
  console.log(`layout ${name}:`);
  await stage(`  attraction, one thread, x${evals}`, () => {
    for (let e = 0; e < evals; e++) attractionOne.compute(y, 12, attr, 0, n);
  });
  await stage(`  FFT repulsion, one thread, x${evals}`, () => {
    for (let e = 0; e < evals; e++) fftOne.compute(y, n, rep);
  });
  await stage(`  whole gradient, ${threads} threads, x${evals}`, () => {
    for (let e = 0; e < evals; e++) engine.evaluate(y, 12, attr, rep);
  });
}
engine.dispose();
