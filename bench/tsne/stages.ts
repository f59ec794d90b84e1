/**
 * Where `tsne()`'s wall time goes on its real thread count (a profile, not a comparison): the
 * preparation stages from the progress callback (PCA, kNN, affinities, workers), then the optimisation
 * per phase, with the iterations split by the repulsion method the 2D cost model picks
 * (repulsion-choice.ts) and the slowest stretches of 50 iterations.
 *
 *   npx tsx bench/tsne/stages.ts [--n 10000] [--dims 2|3] [--threads 2] [--seed 0] [--repeat 1]
 *
 * Same seeded subsample of the demo CNN features as bench/tsne/run.ts. Run it under the bench lock.
 */
import { parseArgs } from 'node:util';
import { fftIsCheaper, span2d } from '../../src/reduce/tsne/repulsion-choice.js';
import { TSNE } from '../../src/reduce/tsne/tsne-embedding.js';
import { gatherRows, loadBenchInputs, seededSubsample } from '../lib/bench-inputs.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    dims: { type: 'string', default: '2' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    repeat: { type: 'string', default: '1' },
  },
});
const n = Number(values.n);
const dims = Number(values.dims) === 3 ? 3 : 2;
const threads = Number(values.threads);
const seed = Number(values.seed);
const inputs = await loadBenchInputs(undefined, undefined, 'cnn');
const data = gatherRows(inputs.features, inputs.d, seededSubsample(inputs.n, n, 0));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

for (let rep = 0; rep < Number(values.repeat); rep++) {
  const marks: [string, number][] = [];
  const t0 = performance.now();
  const c0 = cpu();
  const mark = (stage: string) => marks.push([stage, (performance.now() - t0) / 1000]);
  const t = await TSNE.prepare(
    { data, rows: n, cols: inputs.d },
    { dims, seed, threads, onProgress: (_f, stage) => mark(stage) },
  );
  mark('prepared');
  const tPrep = performance.now();
  const perIt: number[] = [];
  const fft: boolean[] = [];
  let last = performance.now();
  await t.run({
    onIteration: ({ embedding }) => {
      const now = performance.now();
      perIt.push(now - last);
      fft.push(dims === 2 && fftIsCheaper(n, span2d(Float64Array.from(embedding.data), n)));
      last = performance.now();
    },
  });
  const tRun = performance.now();
  t.result();
  const tEnd = performance.now();
  t.dispose();
  const stages = marks.filter(([s], i) => i === 0 || marks[i - 1][0] !== s);
  const lines = stages.map(([s, at], i) => {
    const next = i + 1 < stages.length ? stages[i + 1][1] : at;
    return `${s} ${(next - at).toFixed(2)} s`;
  });
  console.log(
    `N=${n} ${dims}D threads=${threads}: prepare ${((tPrep - t0) / 1000).toFixed(2)} s: ${lines.join(', ')}`,
  );
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  const early = perIt.slice(0, 250);
  const late = perIt.slice(250);
  console.log(
    `  early exaggeration ${(sum(early) / 1000).toFixed(2)} s, the rest ${(sum(late) / 1000).toFixed(2)} s, ` +
      `result (KL) ${((tEnd - tRun) / 1000).toFixed(2)} s; total ${((tEnd - t0) / 1000).toFixed(2)} s wall, ` +
      `${(cpu() - c0).toFixed(1)} s CPU of this thread's process`,
  );
  if (dims === 2) {
    const f = perIt.filter((_, i) => fft[i]);
    const b = perIt.filter((_, i) => !fft[i]);
    console.log(
      `  FFT ${f.length} iterations ${(sum(f) / Math.max(1, f.length)).toFixed(2)} ms each; ` +
        `Barnes-Hut ${b.length} iterations ${(sum(b) / Math.max(1, b.length)).toFixed(2)} ms each`,
    );
  }
  const blocks: string[] = [];
  for (let i = 0; i < perIt.length; i += 50) blocks.push((sum(perIt.slice(i, i + 50)) / 50).toFixed(1));
  console.log(`  ms per iteration by 50: ${blocks.join(' ')}`);
}
