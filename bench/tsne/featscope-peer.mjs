/**
 * featscope's t-SNE on a feature matrix in its own process, as the peers run (bench/tsne/run.ts with
 * `--peers fitsne` or `opentsne`), so the whole process's peak memory is measured the same way for
 * every tool. Runs the built library (dist/, `npm run build`) with plain Node, no TypeScript loader.
 *
 *   node bench/tsne/featscope-peer.mjs --input X.npy --output Y.npy [--dims 2] [--perplexity 30] [--seed 0]
 *
 * Prints one JSON line: seconds of the t-SNE (loading excluded), method and kNN method used.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeNpyMatrix, encodeNpyFloat32 } from '../../dist/io/npy.js';
import { tsne } from '../../dist/reduce/tsne/tsne.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string' },
    output: { type: 'string' },
    dims: { type: 'string', default: '2' },
    perplexity: { type: 'string', default: '30' },
    seed: { type: 'string', default: '0' },
  },
});
const x = decodeNpyMatrix(readFileSync(values.input), values.input);
const dims = Number(values.dims);
const start = performance.now();
const r = await tsne(x, { dims, perplexity: Number(values.perplexity), seed: Number(values.seed) });
const seconds = (performance.now() - start) / 1000;
writeFileSync(values.output, encodeNpyFloat32(r.embedding, [x.rows, dims]));
console.log(
  JSON.stringify({
    seconds,
    method: r.resolved.method,
    knnMethod: r.resolved.knnMethod,
    n_iter: r.resolved.iterations,
  }),
);
