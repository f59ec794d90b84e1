/**
 * Runs one npm t-SNE package on a feature matrix, in its own process so bench/tsne/run.ts can stop it
 * at a time limit (these packages are synchronous and O(N^2)). Not dependencies of featscope: install
 * them for a benchmark with `npm i --no-save @saehrimnir/druidjs tsne-js`.
 *
 *   npx tsx bench/tsne/js-peer.ts --tool druidjs|tsne-js --input X.npy --output Y.npy [--dims 2]
 *       [--perplexity 30] [--seed 0]
 *
 * Each package runs with its own defaults apart from perplexity and dimensions: druidjs TSNE
 * (epsilon 10, transform() = 500 iterations, exact P), tsne-js (early exaggeration 4, learning rate
 * 100, 1000 iterations, exact gradient). Prints one JSON line {"seconds": ...}; exit code 3 when the
 * package is not installed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeNpyMatrix, encodeNpyFloat32 } from '../../src/io/npy.js';

const { values } = parseArgs({
  options: {
    tool: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    dims: { type: 'string', default: '2' },
    perplexity: { type: 'string', default: '30' },
    seed: { type: 'string', default: '0' },
  },
});
const dims = Number(values.dims);
const perplexity = Number(values.perplexity);
const m = decodeNpyMatrix(readFileSync(values.input!), values.input);
const rows: number[][] = [];
for (let i = 0; i < m.rows; i++) rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

/** Imports a package by a name held in a variable, so TypeScript does not need its types installed. */
async function load(name: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

type Ctor = new (...args: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
let out: number[][];
const start = performance.now();
if (values.tool === 'druidjs') {
  const druid = await load('@saehrimnir/druidjs');
  if (!druid) process.exit(3);
  const TSNE = druid.TSNE as Ctor;
  const model = new TSNE(rows, { perplexity, d: dims, seed: Number(values.seed) });
  const result = model.transform() as number[][] | { to2dArray: number[][] };
  out = Array.isArray(result) ? result : result.to2dArray;
} else if (values.tool === 'tsne-js') {
  const mod = await load('tsne-js');
  if (!mod) process.exit(3);
  const TSNE = (mod.default ?? mod) as Ctor;
  const model = new TSNE({ dim: dims, perplexity, metric: 'euclidean' });
  model.init({ data: rows, type: 'dense' });
  model.run();
  out = model.getOutput() as number[][];
} else {
  throw new Error(`unknown --tool ${values.tool}`);
}
const seconds = (performance.now() - start) / 1000;
const flat = new Float32Array(m.rows * dims);
for (let i = 0; i < m.rows; i++) for (let c = 0; c < dims; c++) flat[i * dims + c] = Number(out[i][c]);
writeFileSync(values.output!, encodeNpyFloat32(flat, [m.rows, dims]));
console.log(JSON.stringify({ seconds }));
