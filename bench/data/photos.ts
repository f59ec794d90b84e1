/**
 * JPEG photo test sets for the inference and end-to-end benchmarks: an ImageFolder tree of varied
 * crops of real photographs, re-encoded as JPEG at ImageNet-like sizes, so decoding and the exact PIL
 * resize cost what they cost on a real test set (Fashion-MNIST's 28 x 28 PNGs cost next to nothing).
 *
 * The sources are the photographs Debian ships with matplotlib and scikit-learn (python3-matplotlib:
 * grace_hopper.jpg; python3-sklearn: china.jpg, flower.jpg), or any JPEG/PNG photos passed with
 * --source. Each output image is a seeded random crop (40-100% of the source's shorter side, aspect
 * 3:4 to 16:9), sometimes mirrored, resized so its longer side is in [--min-side, --max-side], and
 * written as a baseline JPEG at quality 75-95. Same arguments, same files.
 *
 *   npx tsx bench/data/photos.ts [--out bench/.cache/photos-500] [--n 500] [--classes 10]
 *       [--min-side 400] [--max-side 640] [--seed 0] [--source FILE ...] [--force]
 *
 * The tree is written to <out>.partial/ and renamed when complete; an existing tree is reused.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { mulberry32 } from '../../src/reduce/rng.js';
import { BENCH_CACHE_DIR } from '../lib/bench-inputs.js';

/** Real photographs installed by Debian packages the benchmarks already need. */
export const DEBIAN_PHOTOS = [
  '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg',
  '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg',
  '/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg',
];

export interface PhotoSetOptions {
  out: string;
  n: number;
  classes: number;
  /** Longer side of each image, in pixels, drawn uniformly in [minSide, maxSide]. */
  minSide: number;
  maxSide: number;
  seed: number;
  sources: string[];
}

/** Writes the photo tree (unless it exists) and returns its root. */
export async function makePhotoSet(o: PhotoSetOptions, force = false): Promise<string> {
  if (existsSync(o.out) && !force) return o.out;
  const sources = o.sources.filter((s) => existsSync(s));
  if (sources.length === 0) {
    throw new Error(
      `no source photos found (looked for ${o.sources.join(', ')}); apt-get install python3-matplotlib python3-sklearn, or pass --source FILE`,
    );
  }
  const decoded = await Promise.all(
    sources.map(async (s) => {
      const { data, info } = await sharp(s).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    }),
  );
  const partial = `${o.out}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const rng = mulberry32(o.seed);
  const uniform = (a: number, b: number) => a + (b - a) * rng();
  const jobs: Array<() => Promise<unknown>> = [];
  for (let i = 0; i < o.n; i++) {
    const src = decoded[Math.floor(rng() * decoded.length)];
    const aspect = Math.exp(uniform(Math.log(3 / 4), Math.log(16 / 9)));
    const short = Math.min(src.width, src.height) * uniform(0.4, 1);
    let cw = Math.round(aspect >= 1 ? short * aspect : short);
    let ch = Math.round(aspect >= 1 ? short : short / aspect);
    cw = Math.min(cw, src.width);
    ch = Math.min(ch, src.height);
    const left = Math.floor(rng() * (src.width - cw + 1));
    const top = Math.floor(rng() * (src.height - ch + 1));
    const longer = Math.round(uniform(o.minSide, o.maxSide));
    const scale = longer / Math.max(cw, ch);
    const width = Math.max(1, Math.round(cw * scale));
    const height = Math.max(1, Math.round(ch * scale));
    const mirror = rng() < 0.5;
    const quality = Math.round(uniform(75, 95));
    const dir = join(partial, `class_${String(i % o.classes).padStart(2, '0')}`);
    const file = join(dir, `${String(i).padStart(5, '0')}.jpg`);
    jobs.push(async () => {
      mkdirSync(dir, { recursive: true });
      let img = sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
        .extract({ left, top, width: cw, height: ch })
        .resize(width, height, { kernel: 'lanczos3' });
      if (mirror) img = img.flop();
      await img.jpeg({ quality, mozjpeg: false, chromaSubsampling: '4:2:0' }).toFile(file);
    });
  }
  const concurrency = 4;
  for (let i = 0; i < jobs.length; i += concurrency)
    await Promise.all(jobs.slice(i, i + concurrency).map((j) => j()));
  rmSync(o.out, { recursive: true, force: true });
  renameSync(partial, o.out);
  return o.out;
}

/** The default tree of a benchmark: bench/.cache/photos-<n>-<min>-<max>. */
export function photoSetPath(n: number, minSide: number, maxSide: number): string {
  return join(BENCH_CACHE_DIR, `photos-${n}-${minSide}-${maxSide}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      n: { type: 'string', default: '500' },
      classes: { type: 'string', default: '10' },
      'min-side': { type: 'string', default: '400' },
      'max-side': { type: 'string', default: '640' },
      seed: { type: 'string', default: '0' },
      source: { type: 'string', multiple: true },
      force: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.n);
  const minSide = Number(values['min-side']);
  const maxSide = Number(values['max-side']);
  const out = await makePhotoSet(
    {
      out: values.out ?? photoSetPath(n, minSide, maxSide),
      n,
      classes: Number(values.classes),
      minSide,
      maxSide,
      seed: Number(values.seed),
      sources: values.source ?? DEBIAN_PHOTOS,
    },
    values.force,
  );
  console.log(`photos: ${out}`);
}
