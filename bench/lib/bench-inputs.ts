/**
 * Features and labels the benchmarks run on, cached under bench/.cache/ so every run and every peer sees
 * the same numbers:
 * - 'cnn' (default when examples/fashion-mnist/model.onnx exists): the real target of docs/architecture.md
 *   section 5, the demo CNN's penultimate-layer features over all 70k Fashion-MNIST images
 *   (cnn-features.ts);
 * - 'pixels': the stand-in, PCA-50 of the raw pixels (randomised PCA fitted on a seeded 10k-image
 *   subsample, all 70k projected);
 * - or any features.npy + labels (e.g. `featscope classify` output) via --features/--labels.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../../src/io/csv.js';
import { decodeNpyMatrix, encodeNpyFloat32 } from '../../src/io/npy.js';
import { pca } from '../../src/reduce/pca/pca.js';
import { mulberry32 } from '../../src/reduce/rng.js';
import { DEMO_MODEL, demoCnnFeatures, demoModelAvailable } from './cnn-features.js';
import { loadFashionMnist } from './fashion-mnist.js';

export const BENCH_CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache');

export interface BenchInputs {
  features: Float32Array;
  labels: Int32Array;
  n: number;
  d: number;
  /** One line saying what the features are. */
  description: string;
}

export type BenchFeatureKind = 'cnn' | 'pixels';

/** Loads --features/--labels, or builds (once) and loads the demo CNN features or the PCA-50 stand-in. */
export async function loadBenchInputs(
  featuresPath?: string,
  labelsPath?: string,
  kind: BenchFeatureKind = demoModelAvailable() ? 'cnn' : 'pixels',
): Promise<BenchInputs> {
  if (featuresPath) {
    const m = decodeNpyMatrix(readFileSync(featuresPath), featuresPath);
    if (!labelsPath)
      throw new Error('--features needs --labels (labels.npy, or predictions.csv with label_id)');
    const labels = readLabels(labelsPath);
    if (labels.length !== m.rows)
      throw new Error(`${labelsPath}: ${labels.length} labels for ${m.rows} rows`);
    return {
      features: m.data,
      labels,
      n: m.rows,
      d: m.cols,
      description: `${featuresPath} (${m.rows} x ${m.cols})`,
    };
  }
  const labPath = join(BENCH_CACHE_DIR, 'fashion-mnist-labels.npy');
  if (kind === 'cnn') {
    const cnnPath = join(BENCH_CACHE_DIR, 'fashion-mnist-demo-cnn-features.npy');
    if (!existsSync(cnnPath) || !existsSync(labPath)) {
      const cnn = await demoCnnFeatures();
      mkdirSync(BENCH_CACHE_DIR, { recursive: true });
      writeFileSync(cnnPath, encodeNpyFloat32(cnn.features, [cnn.n, cnn.d]));
      writeFileSync(labPath, encodeNpyFloat32(Float32Array.from(cnn.labels), [cnn.n]));
    }
    const m = decodeNpyMatrix(readFileSync(cnnPath), cnnPath);
    return {
      features: m.data,
      labels: Int32Array.from(decodeNpyMatrix(readFileSync(labPath), labPath).data),
      n: m.rows,
      d: m.cols,
      description: `demo CNN penultimate features of all Fashion-MNIST images (${DEMO_MODEL})`,
    };
  }
  const featPath = join(BENCH_CACHE_DIR, 'fashion-mnist-pixels-pca50.npy');
  if (!existsSync(featPath) || !existsSync(labPath)) {
    const { pixels, labels, n, d } = loadFashionMnist();
    const fitRows = seededSubsample(n, 10_000, 0);
    const fitData = gatherRows(pixels, d, fitRows);
    const fit = pca(fitData, fitRows.length, d, 50, { seed: 0, method: 'randomized' });
    const mean = new Float64Array(d);
    for (let i = 0; i < fitRows.length; i++)
      for (let c = 0; c < d; c++) mean[c] += fitData[i * d + c] / fitRows.length;
    const out = new Float32Array(n * 50);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 50; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += (pixels[i * d + c] - mean[c]) * fit.components[j * d + c];
        out[i * 50 + j] = s;
      }
    }
    mkdirSync(BENCH_CACHE_DIR, { recursive: true });
    writeFileSync(featPath, encodeNpyFloat32(out, [n, 50]));
    writeFileSync(labPath, encodeNpyFloat32(Float32Array.from(labels), [n]));
  }
  const m = decodeNpyMatrix(readFileSync(featPath), featPath);
  const labels = Int32Array.from(decodeNpyMatrix(readFileSync(labPath), labPath).data);
  return {
    features: m.data,
    labels,
    n: m.rows,
    d: m.cols,
    description: 'stand-in: PCA-50 of raw Fashion-MNIST pixels (pass --features/--labels for CNN features)',
  };
}

/** Labels from a `.npy` (any float dtype npy.ts reads), a predictions.csv (`label_id`), or one column. */
export function readLabels(path: string): Int32Array {
  if (path.endsWith('.npy')) {
    const bytes = readFileSync(path);
    // Integer label arrays (numpy's default int64) are common: read those directly.
    const header = new TextDecoder().decode(bytes.subarray(0, 256));
    const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
    if (descr === '<i8' || descr === '<i4' || descr === '|u1' || descr === '|i1') {
      const headerLen = bytes[6] === 1 ? new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true) : 0;
      const body = 10 + headerLen;
      const size = descr === '<i8' ? 8 : descr === '<i4' ? 4 : 1;
      const count = (bytes.length - body) / size;
      const dv = new DataView(bytes.buffer, bytes.byteOffset + body);
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        out[i] =
          size === 8
            ? Number(dv.getBigInt64(i * 8, true))
            : size === 4
              ? dv.getInt32(i * 4, true)
              : dv.getUint8(i);
      }
      return out;
    }
    return Int32Array.from(decodeNpyMatrix(bytes, path).data);
  }
  const { header, records } = parseCsvRecords(readFileSync(path, 'utf8'));
  const column = header.includes('label_id') ? 'label_id' : header[0];
  return Int32Array.from(records.map((r) => Number(r[column])));
}

/** The first m entries of a seeded permutation of 0..n-1, sorted: nested across m for a fixed seed. */
export function seededSubsample(n: number, m: number, seed: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, Math.min(m, n)).sort();
}

export function gatherRows(data: Float32Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return out;
}
