/**
 * Writing the thumbnail folder (`writeFolderAtomic(thumbnailFiles(...))`, what `featscope run` does
 * past 50,000 points) at several N, each into a fresh folder, with wall, user and system CPU seconds
 * and the time of each tenth of the files, to check that the write grows linearly with N.
 *
 *   flock /tmp/featscope-bench.lock npx tsx bench/pages/folder-write.ts [--sizes 100000,300000]
 *     [--delete-between] [--keep DIR]
 *
 * `--delete-between` removes each N's folder before writing the next one (what bench/pages/run.ts did
 * until it kept them to the end): on a file system that skips recently freed inodes when it
 * allocates new ones (ext4 without a journal does, for 30 s), the next write then pays for every file
 * just deleted; see bench/README.md, "Interactive pages". `--keep DIR` writes into DIR and leaves the
 * folders there (delete them outside the benchmark lock: deleting a million files can take minutes
 * where the disk is mounted with `discard`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFolderAtomic } from '../../src/io/atomic.js';
import { thumbnailFiles } from '../../src/render/index.js';
import { formatTable } from '../lib/table.js';
import { thumbnailUri } from './thumbs.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string | null) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const SIZES = arg('--sizes', '100000,300000')!.split(',').map(Number);
const DELETE_BETWEEN = args.includes('--delete-between');
const KEEP = arg('--keep', null);

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  console.error(`load average before: ${load()}`);
  const dir = KEEP ?? mkdtempSync(join(tmpdir(), 'featscope-bench-folder-'));
  mkdirSync(dir, { recursive: true });
  const rows: string[][] = [];
  const written: string[] = [];
  try {
    for (const n of SIZES) {
      const thumbs = Array.from({ length: n }, (_, i) => thumbnailUri(i));
      const tenth = Math.max(1, Math.floor(n / 10));
      const laps: number[] = [];
      let count = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let last = t0;
      function* timed() {
        for (const f of thumbnailFiles(thumbs)) {
          yield f;
          if (++count % tenth === 0) {
            const now = performance.now();
            laps.push((now - last) / 1000);
            last = now;
          }
        }
      }
      const folder = join(dir, `thumbnails-${n}`);
      await writeFolderAtomic(folder, timed());
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      written.push(folder);
      rows.push([
        String(n),
        wall.toFixed(1),
        (cpu.user / 1e6).toFixed(1),
        (cpu.system / 1e6).toFixed(1),
        ((wall / n) * 1e6).toFixed(0),
        laps.map((s) => s.toFixed(1)).join(' '),
        loadavg()[0].toFixed(1),
      ]);
      console.error(`N=${n}: ${wall.toFixed(1)} s (${rows.at(-1)![5]})`);
      if (DELETE_BETWEEN) {
        const t1 = performance.now();
        rmSync(folder, { recursive: true, force: true });
        written.pop();
        console.error(`N=${n}: deleted in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    if (!KEEP) for (const f of written) rmSync(f, { recursive: true, force: true });
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    formatTable(
      ['N', 'wall s', 'user s', 'system s', 'us / file', 'each tenth of the files, s', 'load'],
      rows,
    ),
  );
  console.log(`load average after: ${load()}`);
}

await main();
