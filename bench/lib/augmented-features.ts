/**
 * Real features for the large t-SNE cases (300k, 1M): the demo CNN's penultimate features
 * (cnn-features.ts) over Fashion-MNIST images shifted and flipped by a seeded generator, so that every
 * row is a real image the model sees, its label is the source image's label, and label-based quality
 * (10-NN accuracy) means what it means at 70k.
 *
 * Row r is source image r mod 70,000 (the loadFashionMnist() order). Copy 0 (rows 0..69,999) is the
 * images as they are; later copies shift each image by a seeded offset of -3..3 pixels in x and y
 * (zero fill) and mirror it left-right with probability 1/2. Rows are made and cached in chunks of
 * `CHUNK_ROWS` (bench/.cache/fm-augmented/cnn-<first row>.npy), so the first 300k rows of the 1M set
 * are the 300k set and an interrupted build resumes where it stopped.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpyMatrix, encodeNpyFloat32 } from '../../src/io/npy.js';
import { mulberry32 } from '../../src/reduce/rng.js';
import { BENCH_CACHE_DIR } from './bench-inputs.js';
import { loadFashionMnist, loadFashionMnistLabels } from './fashion-mnist.js';

export const CHUNK_ROWS = 100_000;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const MAX_SHIFT = 3;
/** Normalisation of the demo model (examples/fashion-mnist/model-card.md), as in cnn-features.ts. */
const MEAN = 0.286;
const STD = 0.353;
const BATCH = 512;
const DIR = join(BENCH_CACHE_DIR, 'fm-augmented');

/** Source image, shift and flip of row r (seeded by the row alone, so chunks are independent). */
export function augmentationOf(
  row: number,
  sources: number,
): { source: number; dx: number; dy: number; flip: boolean } {
  const source = row % sources;
  if (row < sources) return { source, dx: 0, dy: 0, flip: false };
  const rng = mulberry32(0x5eed + row);
  const span = 2 * MAX_SHIFT + 1;
  return {
    source,
    dx: Math.floor(rng() * span) - MAX_SHIFT,
    dy: Math.floor(rng() * span) - MAX_SHIFT,
    flip: rng() < 0.5,
  };
}

/** Writes the normalised augmented image of `row` into `out` (784 values). */
function augmentInto(
  pixels: Float32Array,
  row: number,
  sources: number,
  out: Float32Array,
  at: number,
): void {
  const { source, dx, dy, flip } = augmentationOf(row, sources);
  const src = source * PIXELS;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx0 = x - dx;
      const sy = y - dy;
      const sx = flip ? SIDE - 1 - sx0 : sx0;
      const v = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? pixels[src + sy * SIDE + sx] : 0;
      out[at + y * SIDE + x] = (v - MEAN) / STD;
    }
  }
}

function chunkPath(first: number): string {
  return join(DIR, `cnn-${first}.npy`);
}

/**
 * The first `n` rows (features n x d and labels), building the missing chunks first (the demo CNN on
 * all threads; ~4k images/s on 2 cores). `onChunk` reports each chunk built.
 */
export async function augmentedCnnFeatures(
  n: number,
  onChunk: (first: number, seconds: number) => void = () => {},
): Promise<{ features: Float32Array; labels: Int32Array; n: number; d: number }> {
  const sourceLabels = loadFashionMnistLabels();
  const sources = sourceLabels.length;
  const chunks = Math.ceil(n / CHUNK_ROWS);
  const missing = [...Array(chunks).keys()]
    .map((c) => c * CHUNK_ROWS)
    .filter((f) => !existsSync(chunkPath(f)));
  if (missing.length > 0) {
    // Pixels and the model only when something is to be built: a cached run stays light.
    const { pixels } = loadFashionMnist();
    mkdirSync(DIR, { recursive: true });
    const runner = await (await import('./cnn-features.js')).demoModelRunner();
    const batch = new Float32Array(BATCH * PIXELS);
    for (const first of missing) {
      const t0 = performance.now();
      let features: Float32Array | null = null;
      let d = 0;
      for (let start = first; start < first + CHUNK_ROWS; start += BATCH) {
        const b = Math.min(BATCH, first + CHUNK_ROWS - start);
        for (let i = 0; i < b; i++) augmentInto(pixels, start + i, sources, batch, i * PIXELS);
        const out = await runner.run(batch.subarray(0, b * PIXELS), b, 1, SIDE, SIDE);
        if (!features) {
          d = out.featureDim;
          features = new Float32Array(CHUNK_ROWS * d);
        }
        features.set(out.features.subarray(0, b * d), (start - first) * d);
      }
      const path = chunkPath(first);
      writeFileSync(`${path}.partial`, encodeNpyFloat32(features!, [CHUNK_ROWS, d]));
      renameSync(`${path}.partial`, path);
      onChunk(first, (performance.now() - t0) / 1000);
    }
  }
  let features: Float32Array | null = null;
  let d = 0;
  for (let c = 0; c < chunks; c++) {
    const first = c * CHUNK_ROWS;
    const m = decodeNpyMatrix(readFileSync(chunkPath(first)), chunkPath(first));
    if (!features) {
      d = m.cols;
      features = new Float32Array(n * d);
    }
    const rows = Math.min(CHUNK_ROWS, n - first);
    features.set(m.data.subarray(0, rows * d), first * d);
  }
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) labels[r] = sourceLabels[r % sources];
  return { features: features!, labels, n, d };
}
