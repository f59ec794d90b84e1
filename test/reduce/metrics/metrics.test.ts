import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { embeddingQualities, embeddingQuality } from '../../../src/reduce/metrics/embedding-quality.js';
import { knnLabelAccuracy, voteAccuracy } from '../../../src/reduce/metrics/knn-label-accuracy.js';
import { knnPreservation } from '../../../src/reduce/metrics/knn-preservation.js';
import { resolveQueryCount, selectQueries } from '../../../src/reduce/metrics/queries.js';
import { trustworthiness } from '../../../src/reduce/metrics/trustworthiness.js';
import { gaussianClusters } from '../knn/synthetic-data.js';

interface FixtureCase {
  name: string;
  n: number;
  d: number;
  dims: number;
  high: number[];
  low: number[];
  labels: number[];
  values: { k: number; trustworthiness: number; knnPreservation: number; knnLabelAccuracy: number }[];
}
const fixture = JSON.parse(readFileSync(new URL('./metrics-fixture.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};

test('metrics match scikit-learn reference values (fixture from make_metrics_fixture.py)', () => {
  for (const c of fixture.cases) {
    const high = Float32Array.from(c.high);
    const low = Float32Array.from(c.low);
    const labels = Int32Array.from(c.labels);
    for (const v of c.values) {
      const what = `${c.name} k=${v.k}`;
      const t = trustworthiness(high, c.n, c.d, low, c.dims, v.k);
      assert.ok(
        Math.abs(t - v.trustworthiness) < 1e-6,
        `${what}: trustworthiness ${t} vs ${v.trustworthiness}`,
      );
      const p = knnPreservation(high, c.n, c.d, low, c.dims, v.k);
      assert.ok(Math.abs(p - v.knnPreservation) < 1e-6, `${what}: preservation ${p} vs ${v.knnPreservation}`);
      const a = knnLabelAccuracy(low, c.n, c.dims, labels, v.k);
      assert.ok(Math.abs(a - v.knnLabelAccuracy) < 1e-6, `${what}: accuracy ${a} vs ${v.knnLabelAccuracy}`);
    }
  }
});

// Hand-checked: 1-D points, the map swaps points 1 and 2 (no distance ties in either space).
// High NN: 0->1, 1->0, 2->1, 3->2, 4->3. Map NN: 0->2, 1->2, 2->0, 3->1, 4->3.
// Ranks of the map's neighbours in the original space: 2, 2, 2, 3, 1 -> penalty 1+1+1+2+0 = 5;
// T = 1 - 2 / (5 * 1 * (10 - 3 - 1)) * 5 = 2/3.
const HIGH = Float32Array.from([0, 1, 3, 7, 12]);
const LOW = Float32Array.from([0, 3, 1, 6, 10]);

test('hand-checked trustworthiness, kNN preservation and label accuracy', () => {
  assert.ok(Math.abs(trustworthiness(HIGH, 5, 1, LOW, 1, 1) - 2 / 3) < 1e-12);
  assert.ok(Math.abs(knnPreservation(HIGH, 5, 1, LOW, 1, 1) - 0.2) < 1e-12);
  assert.ok(Math.abs(knnLabelAccuracy(LOW, 5, 1, Int32Array.from([0, 0, 1, 1, 1]), 1) - 0.2) < 1e-12);
  assert.equal(trustworthiness(HIGH, 5, 1, HIGH, 1, 2), 1);
  assert.equal(knnPreservation(HIGH, 5, 1, HIGH, 1, 2), 1);
  assert.throws(() => trustworthiness(HIGH, 5, 1, LOW, 1, 3), RangeError);
});

test('a tied vote goes to the smallest label', () => {
  // Query 0's neighbours have labels 2 and 1: tie, smallest is 1 = its own label.
  const labels = Int32Array.from([1, 2, 1]);
  assert.equal(voteAccuracy(Int32Array.from([1, 2]), Int32Array.from([0]), labels, 2), 1);
  assert.equal(voteAccuracy(Int32Array.from([1, 2]), Int32Array.from([0]), Int32Array.from([2, 2, 1]), 2), 0);
});

test('unlabelled points (-1) neither count as queries nor vote; none labelled gives NaN', () => {
  // Map NN on LOW (k=1): 0->2, 1->2, 2->0, 3->1, 4->3. Only 0, 2 and 4 are labelled: 0 and 2 vote
  // for each other (right), 4's neighbour 3 is unlabelled so it has no vote (wrong): 2 of 3.
  const labels = Int32Array.from([0, -1, 0, -1, 1]);
  assert.ok(Math.abs(knnLabelAccuracy(LOW, 5, 1, labels, 1) - 2 / 3) < 1e-12);
  // An unlabelled target domain next to its own kind must not count as "right".
  assert.ok(Number.isNaN(knnLabelAccuracy(LOW, 5, 1, Int32Array.from([-1, -1, -1, -1, -1]), 1)));
});

test('query subsample: deterministic, close to the full value; embeddingQuality agrees with the parts', () => {
  const n = 1200;
  const { data, labels } = gaussianClusters(n, 12, 6, 3, 3, 1);
  const low = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    low[i * 2] = data[i * 12];
    low[i * 2 + 1] = data[i * 12 + 1];
  }
  const full = trustworthiness(data, n, 12, low, 2, 10);
  const sub = trustworthiness(data, n, 12, low, 2, 10, { maxQueries: 400, seed: 1 });
  assert.equal(sub, trustworthiness(data, n, 12, low, 2, 10, { maxQueries: 400, seed: 1 }));
  assert.ok(Math.abs(sub - full) < 0.02, `${sub} vs ${full}`);
  const q = embeddingQuality(data, n, 12, low, 2, labels);
  assert.equal(q.trustworthiness10, full);
  assert.equal(q.knnPreservation10, knnPreservation(data, n, 12, low, 2, 10));
  assert.equal(q.knnLabelAccuracy10, knnLabelAccuracy(low, n, 2, labels, 10));
  assert.equal(q.queryPoints, n);
  const tiny = embeddingQuality(HIGH, 5, 1, LOW, 1, null);
  assert.equal(tiny.k, 2);
  assert.equal(tiny.knnLabelAccuracy10, undefined);
});

test('several maps measured in one pass get what each gets alone', () => {
  const n = 900;
  const d = 16;
  const { data, labels } = gaussianClusters(n, d, 5, 4, 3, 1);
  // A 2D map from two columns, a 3D one from three others, with some noise: different neighbours.
  const map = (cols: number[]) => {
    const m = new Float32Array(n * cols.length);
    for (let i = 0; i < n; i++)
      cols.forEach((c, j) => (m[i * cols.length + j] = data[i * d + c] + ((i * 7 + j) % 5) * 0.1));
    return m;
  };
  const two = map([0, 1]);
  const three = map([2, 3, 4]);
  const options = { maxQueries: 300, seed: 2 };
  const both = embeddingQualities(
    data,
    n,
    d,
    [
      { embedding: two, dims: 2 },
      { embedding: three, dims: 3 },
    ],
    labels,
    options,
  );
  assert.deepEqual(both[0], embeddingQuality(data, n, d, two, 2, labels, options));
  assert.deepEqual(both[1], embeddingQuality(data, n, d, three, 3, labels, options));
  assert.notEqual(both[0].trustworthiness10, both[1].trustworthiness10);
  assert.deepEqual(embeddingQualities(data, n, d, [], labels), []);
});

test("query count: 'auto' sized by n x d within [1000, 10000], explicit counts clamped; samples nested", () => {
  assert.equal(resolveQueryCount(2000, 128), 2000);
  assert.equal(resolveQueryCount(10_000, 128), 1953);
  assert.equal(resolveQueryCount(70_000, 128), 1000);
  assert.equal(resolveQueryCount(70_000, 2), 10_000);
  assert.equal(resolveQueryCount(500, 128, { maxQueries: 9999 }), 500);
  const small = selectQueries(5000, 8, { maxQueries: 300, seed: 4 });
  const large = new Set(selectQueries(5000, 8, { maxQueries: 900, seed: 4 }));
  assert.equal(small.length, 300);
  assert.ok(Array.from(small).every((q) => large.has(q)));
  for (let i = 1; i < small.length; i++) assert.ok(small[i] > small[i - 1]);
});
