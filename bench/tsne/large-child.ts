/**
 * One process of bench/tsne/large.ts: loads the first --n rows of the augmented demo-CNN features
 * (bench/lib/augmented-features.ts), runs tsne() on them, writes the embedding to --out (.npy) and prints
 * one JSON line: seconds to load, seconds of tsne() and of each of its stages (from its progress
 * callback). Run under GNU time by the parent, so peak RSS is the whole process's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeNpyFloat32 } from '../../src/io/npy.js';
import { tsne } from '../../src/reduce/tsne/tsne.js';
import { augmentedCnnFeatures } from '../lib/augmented-features.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string' },
  },
});
const n = Number(values.n);
const t0 = performance.now();
const inputs = await augmentedCnnFeatures(n);
const loadSeconds = (performance.now() - t0) / 1000;
const stages: Record<string, number> = {};
// Resident memory (MB) when each stage ends, and the peak so far: where the memory goes.
const stageRssMb: Record<string, [number, number]> = {};
const rss = (): [number, number] => {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return [Math.round(kb('VmRSS') / 1024), Math.round(kb('VmHWM') / 1024)];
};
let stage = 'start';
let stageStart = performance.now();
const t1 = performance.now();
const result = await tsne(
  { data: inputs.features, rows: n, cols: inputs.d },
  {
    dims: 2,
    seed: Number(values.seed),
    threads: Number(values.threads),
    onProgress: (_, name) => {
      // Stage names repeat while a stage lasts; record each stage's wall time once it ends.
      if (name === stage) return;
      const now = performance.now();
      stages[stage] = (stages[stage] ?? 0) + (now - stageStart) / 1000;
      stageRssMb[stage] = rss();
      stage = name;
      stageStart = now;
    },
  },
);
const tsneSeconds = (performance.now() - t1) / 1000;
stages[stage] = (stages[stage] ?? 0) + (performance.now() - stageStart) / 1000;
stageRssMb[stage] = rss();
writeFileSync(values.out!, encodeNpyFloat32(result.embedding, [n, 2]));
console.log(
  JSON.stringify({
    loadSeconds,
    tsneSeconds,
    stages,
    stageRssMb,
    method: result.resolved.method,
    knnMethod: result.resolved.knnMethod,
    threads: result.resolved.threads,
  }),
);
