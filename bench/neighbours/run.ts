/**
 * The pages' neighbours (src/pipeline/points.ts `pageNeighbors`): the 8 nearest of every point, as
 * `featscope run` finds them now against how it found them before, on the same features in one run:
 *
 * - before: an exact search on one thread over the raw features (`knn`, k = 8);
 * - search: what it does without a t-SNE map in the run: the same exact search on --threads;
 * - t-SNE graph: the first 8 columns of t-SNE's own kNN graph (k = 90), which t-SNE computes anyway
 *   (`tsneAffinities`; its time is part of t-SNE's, shown for reference).
 *
 * Also the overlap of the new lists with the raw-feature ones (the share of the 8 raw-space
 * neighbours kept), since t-SNE's PCA-50 changes what "nearest" means a little.
 *
 *   npx tsx bench/neighbours/run.ts --features F.npy [--rows 5000] [--threads 2] [--seed 0]
 *   npx tsx bench/neighbours/run.ts --synthetic 5000x4096 [--threads 2]
 *
 * --synthetic makes VGG16-like features instead (what `classifier.4` gives: 4,096 non-negative
 * values after a ReLU): 100 classes, each a centre of ReLU'd Gaussians, every row its centre plus
 * Gaussian noise, ReLU'd (seeded).
 * --rows above the file's row count repeats its rows with seeded noise (each copy x (1 + 0.05 g),
 * clipped at 0 like a ReLU output): the timing depends on the shape, not on the values.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { pageNeighbors, tsneGraph } from '../../src/pipeline/points.js';
import { knn } from '../../src/reduce/knn/knn.js';
import { gaussian, mulberry32 } from '../../src/reduce/rng.js';
import { tsneAffinities } from '../../src/reduce/tsne/tsne.js';
import { loadAverage } from '../e2e/measure.js';
import { formatTable } from '../lib/table.js';

const { values } = parseArgs({
  options: {
    features: { type: 'string' },
    rows: { type: 'string' },
    threads: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    seed: { type: 'string', default: '0' },
    synthetic: { type: 'string' },
  },
});
if (!values.features && !values.synthetic) throw new Error('--features F.npy or --synthetic NxD is required');
const m = values.features
  ? decodeNpyMatrix(readFileSync(values.features), values.features)
  : vggLike(values.synthetic!, Number(values.seed));

/** N x D non-negative clustered rows (see the header). */
function vggLike(shape: string, seed: number): { data: Float32Array; rows: number; cols: number } {
  const [rows, cols] = shape.split('x').map(Number);
  const r = mulberry32(seed + 1);
  const classes = 100;
  const centres = Float32Array.from({ length: classes * cols }, () => Math.max(0, gaussian(r)));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = i % classes;
    for (let j = 0; j < cols; j++) out[i * cols + j] = Math.max(0, centres[c * cols + j] + 0.8 * gaussian(r));
  }
  return { data: out, rows, cols };
}
const n = values.rows ? Number(values.rows) : m.rows;
const d = m.cols;
const data = new Float32Array(n * d);
const rng = mulberry32(Number(values.seed));
for (let i = 0; i < n; i++) {
  const src = i % m.rows;
  for (let j = 0; j < d; j++) {
    const v = m.data[src * d + j];
    data[i * d + j] = i < m.rows ? v : Math.max(0, v * (1 + 0.05 * gaussian(rng)));
  }
}
const threads = Number(values.threads);
const k = 8;

const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
};

const loadBefore = loadAverage();
const [before, tBefore] = await time(() => knn(data, n, d, k, { seed: 0 }));
const [search, tSearch] = await time(() => pageNeighbors(data, n, d, { threads, seed: 0 }));
const [aff, tAff] = await time(() =>
  tsneAffinities({ data, rows: n, cols: d }, { threads, keepNeighbors: k }),
);
const [graph, tGraph] = await time(() => pageNeighbors(data, n, d, { threads, graph: tsneGraph(aff) }));
const loadAfter = loadAverage();

function overlap(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < n; i++) {
    const set = new Set(a.subarray(i * k, i * k + k));
    for (let j = 0; j < k; j++) if (set.has(b[i * k + j])) same++;
  }
  return same / (n * k);
}

console.log(
  `${n} x ${d} features from ${values.features ?? '--synthetic (VGG16-like)'}${n > m.rows ? ` (${m.rows} rows, repeated with noise)` : ''}`,
);
console.log(
  formatTable(
    ['page neighbours', 'seconds', 'x before', 'overlap with raw 8-NN'],
    [
      ['before: exact, raw features, 1 thread', tBefore.toFixed(3), '1.00', '1.000'],
      [
        `search: ${search!.resolved.space}, ${search!.resolved.method}, ${threads} threads`,
        tSearch.toFixed(3),
        (tBefore / tSearch).toFixed(2),
        overlap(before.indices, search!.indices).toFixed(3),
      ],
      [
        't-SNE graph (given)',
        tGraph.toFixed(3),
        (tBefore / tGraph).toFixed(0),
        overlap(before.indices, graph!.indices).toFixed(3),
      ],
      ['(t-SNE PCA + kNN k=90 + P, part of t-SNE)', tAff.toFixed(3), '', ''],
    ],
  ),
);
console.log(`load before: ${loadBefore}; after: ${loadAfter}`);
