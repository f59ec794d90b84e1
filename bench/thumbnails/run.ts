/**
 * Thumbnails for the pages: the time `thumbnailsFor` (src/pipeline/points.ts) takes for every image of a
 * data folder, as `featscope run` calls it, with the mean size of the data URIs and how many were reused
 * as they are, encoded from pixels or resized. Printed only (no peer: the recipe makes no thumbnails).
 *
 *   npx tsx bench/thumbnails/run.ts [--data bench/.cache/fm10k] [--repeat 3]
 *
 * --data takes any --data form (ImageFolder, flat folder, CSV list, MNIST-family IDX folder such as
 * /usr/share/datasets/fashion-mnist). The first pass reads the files from disk into the page cache;
 * the best of --repeat passes is reported with the load average before and after.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataSource } from '../../src/dataset/source.js';
import { sourcesFromItems } from '../../src/pipeline/image-sources.js';
import { thumbnailsFor } from '../../src/pipeline/points.js';
import { loadAverage } from '../e2e/measure.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';
import { formatTable } from '../lib/table.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(BENCH_CACHE_DIR, 'fm10k') },
    repeat: { type: 'string', default: '3' },
    split: { type: 'string' },
  },
});

const source = await loadDataSource(values.data!, (values.split as 'train' | 'test' | undefined) ?? null);
const items = source.items.map((it) => ({ ...it, domain: 0 }));
const sources = sourcesFromItems(
  items,
  items.map((it) => it.path),
);
const rows: string[][] = [];
const loadBefore = loadAverage();
let best = Number.POSITIVE_INFINITY;
let uris: (string | null)[] = [];
for (let r = 0; r < Number(values.repeat); r++) {
  const t0 = performance.now();
  uris = await thumbnailsFor(sources);
  const s = (performance.now() - t0) / 1000;
  best = Math.min(best, s);
  rows.push([`pass ${r + 1}`, s.toFixed(3), Math.round(sources.length / s).toString()]);
}
const loadAfter = loadAverage();
const kinds = new Map<string, number>();
let bytes = 0;
let made = 0;
for (const u of uris) {
  if (u === null) continue;
  made++;
  bytes += u.length;
  const kind = /^data:image\/(\w+);/.exec(u)?.[1] ?? '?';
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}
console.log(`${sources.length} images from ${values.data} (${source.form})`);
console.log(formatTable(['pass', 'seconds', 'images/s'], rows));
console.log(
  `best ${best.toFixed(3)} s; ${made} thumbnails, mean data URI ${(bytes / Math.max(1, made)).toFixed(0)} chars; ` +
    `types ${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}`,
);
console.log(`load before: ${loadBefore}; after: ${loadAfter}`);
