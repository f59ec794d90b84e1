/**
 * Which points the quality metrics are evaluated on. Every metric here is a mean over points, and each
 * point's term needs its distances to all n points (O(n d) per point), so all n terms cost O(n^2 d):
 * minutes at 70k. Above `maxQueries` points the mean is taken over a seeded uniform subsample of query
 * points, each still ranked against the full set (an unbiased estimate of the full mean; with 10k
 * queries its standard error is ~0.001 for trustworthiness on Fashion-MNIST-like data).
 */
import { mulberry32 } from '../rng.js';

export interface MetricOptions {
  /** Largest number of query points; above it a seeded subsample is used. */
  maxQueries?: number;
  /** Seed of the subsample. */
  seed?: number;
}

export const METRIC_DEFAULTS = Object.freeze({ maxQueries: 10_000, seed: 0 });

/** Sorted query rows: all of 0..n-1, or a seeded subsample of `maxQueries` of them. */
export function selectQueries(n: number, options: MetricOptions = {}): Int32Array {
  const m = Math.min(n, Math.max(1, Math.floor(options.maxQueries ?? METRIC_DEFAULTS.maxQueries)));
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (m >= n) return all;
  // Partial Fisher-Yates: the first m slots become a uniform sample.
  const rng = mulberry32(options.seed ?? METRIC_DEFAULTS.seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, m).sort();
}
