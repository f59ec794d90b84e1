import type { Embedding, PointSet } from '../../src/render/types.js';

/** xorshift32 in [0, 1): deterministic test data without depending on other modules. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export interface SyntheticOptions {
  n: number;
  classes?: string[] | number;
  dims?: 2 | 3;
  k?: number;
  /** Fraction of points whose top-1 prediction is right. */
  accuracy?: number;
  seed?: number;
  thumbnails?: (string | null)[];
  neighbors?: number;
}

/**
 * Gaussian blobs, one per class, with a top-k prediction list that is right `accuracy` of the
 * time, and (optionally) nearest neighbours computed in the map itself by brute force on a sample.
 */
export function syntheticPoints(o: SyntheticOptions): { points: PointSet; embedding: Embedding } {
  const r = rng(o.seed ?? 7);
  const classes =
    typeof o.classes === 'number' || o.classes === undefined
      ? Array.from({ length: typeof o.classes === 'number' ? o.classes : 10 }, (_, i) => `class ${i}`)
      : o.classes;
  const c = classes.length;
  const dims = o.dims ?? 2;
  const k = Math.min(o.k ?? 3, c);
  const n = o.n;
  const centres = Array.from({ length: c * dims }, () => (r() - 0.5) * 60);
  const coords = new Float32Array(n * dims);
  const labelIds = new Int32Array(n);
  const topIds = new Int32Array(n * k);
  const topConf = new Float32Array(n * k);
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = Math.floor((i * c) / n);
    labelIds[i] = label;
    paths.push(`${classes[label]}/img_${String(i).padStart(5, '0')}.png`);
    for (let d = 0; d < dims; d++) {
      const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
      coords[i * dims + d] = centres[label * dims + d] + g * 3;
    }
    const right = r() < (o.accuracy ?? 0.85);
    let first = right ? label : (label + 1 + Math.floor(r() * (c - 1))) % c;
    if (c === 1) first = 0;
    const used = new Set<number>([first]);
    topIds[i * k] = first;
    for (let j = 1; j < k; j++) {
      let id = j === 1 && !right ? label : Math.floor(r() * c);
      while (used.has(id)) id = (id + 1) % c;
      used.add(id);
      topIds[i * k + j] = id;
    }
    let left = 1;
    for (let j = 0; j < k; j++) {
      const p = j === k - 1 ? left * 0.9 : left * (0.5 + 0.4 * r());
      topConf[i * k + j] = p;
      left -= p;
    }
  }
  const points: PointSet = { n, classes, paths, labelIds, topIds, topConf, k };
  if (o.thumbnails) points.thumbnails = o.thumbnails;
  if (o.neighbors) {
    // Neighbours in index order within the same class: cheap and deterministic; fine for UI tests.
    const nk = o.neighbors;
    const indices = new Int32Array(n * nk);
    for (let i = 0; i < n; i++) for (let j = 0; j < nk; j++) indices[i * nk + j] = (i + j + 1) % n;
    points.neighbors = { k: nk, indices };
  }
  return { points, embedding: { method: 'tsne', dims, coords } };
}
