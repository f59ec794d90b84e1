/**
 * Where t-SNE's time goes (a profile, not a benchmark against peers): times PCA, kNN, affinities and,
 * per optimisation phase, the attractive and repulsive parts of the gradient on one thread, for the
 * same seeded subsample bench/tsne/run.ts uses.
 *
 *   npx tsx bench/tsne/profile.ts [--n 10000] [--dims 2|3] [--method bh|fft] [--iterations 750]
 *
 * In 3D the method is always Barnes-Hut. Times are CPU milliseconds of this process.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { knn } from '../../src/reduce/knn/knn.js';
import { pca } from '../../src/reduce/pca/pca.js';
import { type CsrMatrix, jointProbabilities } from '../../src/reduce/tsne/affinities.js';
import { AttractionKernel } from '../../src/reduce/tsne/attraction-kernel.js';
import { BhRepulsion } from '../../src/reduce/tsne/gradient-bh.js';
import type { GradientEngine } from '../../src/reduce/tsne/gradient-engine.js';
import { FftRepulsion2d } from '../../src/reduce/tsne/gradient-fft.js';
import { descendAll, StepScratch } from '../../src/reduce/tsne/gradient-step.js';
import { scaledPcaInit } from '../../src/reduce/tsne/initialization.js';
import { localityOrder, permuteCsr, permuteRows } from '../../src/reduce/tsne/locality-order.js';
import { OPTIMIZER_DEFAULTS, TsneOptimizer } from '../../src/reduce/tsne/optimizer.js';
import { resolveTsneOptions } from '../../src/reduce/tsne/options.js';
import { gatherRows, loadBenchInputs, seededSubsample } from '../lib/bench-inputs.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    dims: { type: 'string', default: '2' },
    method: { type: 'string', default: 'fft' },
    iterations: { type: 'string', default: '750' },
    reorder: { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const dims = Number(values.dims) === 3 ? 3 : 2;
const method = dims === 3 ? 'bh' : (values.method as 'bh' | 'fft');
const inputs = await loadBenchInputs(undefined, undefined, 'cnn');
const data = gatherRows(inputs.features, inputs.d, seededSubsample(inputs.n, n, 0));
const { resolved } = resolveTsneOptions(n, inputs.d, { dims, method, iterations: Number(values.iterations) });
// CPU time of this process (it computes on one thread), so that a busy machine does not inflate it.
const now = () => {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
};
const ms = (t: bigint) => Number(now() - t) / 1e6;
let t = now();
const reduced = pca(data, n, inputs.d, 50, { seed: 0 });
console.log(`pca ${ms(t).toFixed(0)} ms`);
const features = Float32Array.from(reduced.projected);
const cacheFile = `/tmp/featscope-profile-p32-${n}.bin`;
let p: CsrMatrix;
if (existsSync(cacheFile)) {
  const buf = readFileSync(cacheFile);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const nnz = new Int32Array(ab, 0, 1)[0];
  const rowPtr = new Int32Array(ab, 8, n + 1).slice();
  const colsOff = 8 + 4 * (n + 1);
  const cols = new Int32Array(ab.slice(colsOff, colsOff + 4 * nnz));
  const valsOff = colsOff + 4 * nnz + ((8 - ((colsOff + 4 * nnz) % 8)) % 8);
  const vals = new Float32Array(ab.slice(valsOff, valsOff + 4 * nnz));
  p = { n, rowPtr, cols, vals };
  console.log(`P from ${cacheFile}`);
} else {
  t = now();
  const graph = knn(features, n, 50, resolved.k, { seed: 0 });
  console.log(`knn (${graph.method}, k=${graph.k}) ${ms(t).toFixed(0)} ms`);
  t = now();
  p = jointProbabilities(graph.indices, graph.distances, n, graph.k, resolved.perplexity);
  console.log(
    `affinities ${ms(t).toFixed(0)} ms, ${p.vals.length} entries (${(p.vals.length / n).toFixed(1)}/row)`,
  );
  const nnz = p.vals.length;
  const head = new Int32Array([nnz, 0]);
  const colsPad = 8 + 4 * (n + 1) + 4 * nnz;
  const pad = new Uint8Array((8 - (colsPad % 8)) % 8);
  writeFileSync(
    cacheFile,
    Buffer.concat([
      Buffer.from(head.buffer),
      Buffer.from(p.rowPtr.buffer),
      Buffer.from(p.cols.buffer),
      pad,
      Buffer.from(p.vals.buffer),
    ]),
  );
}
let initial = scaledPcaInit(reduced.projected, n, 50, dims, 1e-4)!;
if (values.reorder) {
  t = now();
  const order = localityOrder(p);
  p = permuteCsr(p, order);
  initial = permuteRows(initial, order, dims);
  console.log(`locality order ${ms(t).toFixed(0)} ms`);
}
const repulsion = method === 'fft' ? new FftRepulsion2d() : new BhRepulsion(dims, resolved.theta);
const spent = { attr: 0, rep: 0, step: 0 };
const attraction = new AttractionKernel(p, dims);
const stepScratch = new StepScratch(n, dims);
const engine: GradientEngine = {
  threads: 1,
  allocate: (len) => new Float64Array(len),
  evaluate(pos, ex, attr, rep) {
    let s = now();
    attraction.compute(pos, ex, attr, 0, n);
    spent.attr += ms(s);
    s = now();
    const z = repulsion.compute(pos, n, rep);
    spent.rep += ms(s);
    return z;
  },
  descend: (state, coefficients) => descendAll(state, n, dims, coefficients, stepScratch),
  normalisation: (pos, scratch) => repulsion.compute(pos, n, scratch),
  dispose() {},
};
const opt = new TsneOptimizer(p, initial, n, dims, engine, {
  ...OPTIMIZER_DEFAULTS,
  learningRate: resolved.learningRate,
  iterations: resolved.iterations,
});
let phaseStart = now();
const report = (label: string, iters: number) => {
  const total = ms(phaseStart);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of opt.positions) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const boxes = repulsion instanceof FftRepulsion2d ? ` boxes ${repulsion.lastBoxes}` : '';
  console.log(
    `${label}: ${iters} it, ${(total / iters).toFixed(1)} ms/it (attr ${(spent.attr / iters).toFixed(1)}, rep ${(spent.rep / iters).toFixed(1)}) span ${(hi - lo).toFixed(1)}${boxes}`,
  );
  spent.attr = 0;
  spent.rep = 0;
  phaseStart = now();
};
const marks = [50, 250, 400, 550, resolved.iterations];
let last = 0;
for (const mark of marks) {
  while (opt.iteration < Math.min(mark, resolved.iterations)) opt.step();
  if (opt.iteration > last) report(`it ${last}-${opt.iteration}`, opt.iteration - last);
  last = opt.iteration;
}
console.log(`load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
