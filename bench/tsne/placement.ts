/**
 * Placement benchmark (docs/architecture.md section 4): new points placed into an existing t-SNE map
 * against one t-SNE of all points together, in one run.
 *
 *   flock /tmp/featscope-bench.lock npx tsx bench/tsne/placement.ts [--new 10000] [--total 70000]
 *       [--dims 2] [--seed 0] [--features F.npy --labels L]
 *
 * Features: the demo CNN's penultimate features of all 70k Fashion-MNIST images (bench/lib/bench-inputs.ts).
 * A seeded `--new` of the `--total` points are held out; the rest make the reference map. Reported:
 * - quality: the held-out points' 10-NN label accuracy against the reference points (each labelled by
 *   a vote of its 10 nearest reference points in the map), once placed and once in the joint map of
 *   all points; the issue's bound is |placed - joint| <= 0.02;
 * - cost: seconds of the placement (everything `featscope reduce --reference` computes: the reference
 *   PCA, neighbours, affinities, optimisation) over the seconds of the joint t-SNE; bound <= 0.10.
 * Results also go to bench/out/placement-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { referenceLabelAccuracy } from '../../src/reduce/metrics/reference-label-accuracy.js';
import { placeIntoMap } from '../../src/reduce/place.js';
import { tsne } from '../../src/reduce/tsne/tsne.js';
import { gatherRows, loadBenchInputs, seededSubsample } from '../lib/bench-inputs.js';
import { formatTable } from '../lib/table.js';

const { values } = parseArgs({
  options: {
    new: { type: 'string', default: '10000' },
    total: { type: 'string', default: '70000' },
    dims: { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    features: { type: 'string' },
    labels: { type: 'string' },
  },
});
const seed = Number(values.seed);
const dims = Number(values.dims) as 2 | 3;
const inputs = await loadBenchInputs(values.features, values.labels);
const total = Math.min(Number(values.total), inputs.n);
const nNew = Number(values.new);
const { d } = inputs;
const load0 = loadavg()[0];
console.log(`features: ${inputs.description}, ${total} points (${nNew} placed), ${dims}D, seed ${seed}`);

// Reference rows first, then the held-out rows: the joint map's rows line up with the placed result.
const all = seededSubsample(inputs.n, total, seed);
const heldOut = new Set(seededSubsample(total, nNew, seed + 1));
const refRows = Int32Array.from(all.filter((_, i) => !heldOut.has(i)));
const newRows = Int32Array.from(all.filter((_, i) => heldOut.has(i)));
const nRef = refRows.length;
const order = Int32Array.from([...refRows, ...newRows]);
const x = gatherRows(inputs.features, d, order);
const labels = Int32Array.from(order, (i) => inputs.labels[i]);
const refX = x.subarray(0, nRef * d);
const newX = x.subarray(nRef * d);

const seconds = (t0: number) => (performance.now() - t0) / 1000;

let t0 = performance.now();
const joint = await tsne({ data: x, rows: total, cols: d }, { dims, seed });
const jointSeconds = seconds(t0);
console.log(`joint t-SNE of ${total}: ${jointSeconds.toFixed(1)} s`);

t0 = performance.now();
const reference = await tsne({ data: refX, rows: nRef, cols: d }, { dims, seed });
const referenceSeconds = seconds(t0);
console.log(`reference t-SNE of ${nRef}: ${referenceSeconds.toFixed(1)} s`);

t0 = performance.now();
const placed = await placeIntoMap(
  { data: newX, rows: nNew, cols: d },
  {
    method: 'tsne',
    referenceFeatures: { data: refX, rows: nRef, cols: d },
    referenceMap: { data: reference.embedding, rows: nRef, cols: dims },
    referenceResolved: reference.resolved,
  },
);
const placeSeconds = seconds(t0);
console.log(`placing ${nNew}: ${placeSeconds.toFixed(2)} s (kNN ${String(placed.resolved.knnMethod)})`);

const jointAcc = referenceLabelAccuracy(
  joint.embedding.subarray(0, nRef * dims),
  nRef,
  joint.embedding.subarray(nRef * dims),
  nNew,
  dims,
  labels,
);
const placedAcc = referenceLabelAccuracy(reference.embedding, nRef, placed.embedding, nNew, dims, labels);
const load1 = loadavg()[0];
const ratio = placeSeconds / jointSeconds;
console.log(
  formatTable(
    ['case', 'seconds', '10-NN label acc. (held-out vs reference)'],
    [
      [`joint t-SNE (${total})`, jointSeconds.toFixed(2), jointAcc.toFixed(4)],
      [`reference t-SNE (${nRef})`, referenceSeconds.toFixed(2), '-'],
      [`placement (${nNew})`, placeSeconds.toFixed(2), placedAcc.toFixed(4)],
    ],
  ),
);
console.log(
  `placed - joint accuracy: ${(placedAcc - jointAcc).toFixed(4)} (bound: within 0.02); ` +
    `placement / joint time: ${ratio.toFixed(3)} (bound: <= 0.10); load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}`,
);
const outDir = join(import.meta.dirname, '..', 'out');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, `placement-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify(
    {
      total,
      nNew,
      dims,
      seed,
      jointSeconds,
      referenceSeconds,
      placeSeconds,
      ratio,
      jointAcc,
      placedAcc,
      placement: placed.resolved,
      loadavg: [load0, load1],
    },
    null,
    2,
  )}\n`,
);
