import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryKnn } from '../../../src/reduce/knn/query-knn.js';
import { gaussianClusters } from '../tsne/helpers.js';

const d = 16;
const { data } = gaussianClusters(3000, d, 5, 9, 3);
const ref = data.subarray(0, 2500 * d);
const queries = data.subarray(2500 * d);

function brute(k: number): Int32Array {
  const out = new Int32Array(500 * k);
  for (let i = 0; i < 500; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < 2500; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (queries[i * d + c] - ref[j * d + c]) ** 2;
      all.push([s, j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let t = 0; t < k; t++) out[i * k + t] = all[t][1];
  }
  return out;
}

test('exact query kNN finds the brute-force neighbours, nearest first', () => {
  const r = queryKnn(ref, 2500, queries, 500, d, 10, { method: 'exact' });
  assert.equal(r.method, 'exact');
  assert.equal(r.k, 10);
  assert.deepEqual(Array.from(r.indices), Array.from(brute(10)));
  for (let i = 0; i < 500; i++)
    for (let t = 1; t < 10; t++) assert.ok(r.distances[i * 10 + t] >= r.distances[i * 10 + t - 1]);
});

test('the random-projection forest finds most exact neighbours, always k distinct ones, reproducibly', () => {
  const exact = brute(15);
  const r = queryKnn(ref, 2500, queries, 500, d, 15, { method: 'approx', seed: 1 });
  const again = queryKnn(ref, 2500, queries, 500, d, 15, { method: 'approx', seed: 1 });
  assert.deepEqual(r.indices, again.indices);
  let found = 0;
  for (let i = 0; i < 500; i++) {
    const row = new Set(r.indices.subarray(i * 15, i * 15 + 15));
    assert.equal(row.size, 15);
    for (const j of exact.subarray(i * 15, i * 15 + 15)) if (row.has(j)) found++;
  }
  assert.ok(found / (500 * 15) > 0.85, `recall ${found / 7500}`);
});

test('k is clamped to the reference size; tiny leaves fall back to an exact scan', () => {
  const r = queryKnn(ref.subarray(0, 4 * d), 4, queries, 3, d, 10, { method: 'approx', leafSize: 1 });
  assert.equal(r.k, 4);
  for (let i = 0; i < 3; i++)
    assert.deepEqual([...r.indices.subarray(i * 4, i * 4 + 4)].sort(), [0, 1, 2, 3]);
});

test("the trees' margins in WebAssembly give the TypeScript forest's neighbours exactly, odd widths included", () => {
  for (const d of [7, 16]) {
    const { data } = gaussianClusters(2500, d, 5, 17 + d);
    const ref = data.subarray(0, 2000 * d);
    const queries = data.subarray(2000 * d);
    const options = { method: 'approx' as const, seed: 4, leafSize: 30 };
    const wasm = queryKnn(ref, 2000, queries, 500, d, 10, options);
    const ts = queryKnn(ref, 2000, queries, 500, d, 10, { ...options, wasm: false });
    assert.deepEqual(wasm.indices, ts.indices);
    assert.deepEqual(wasm.distances, ts.distances);
  }
});
