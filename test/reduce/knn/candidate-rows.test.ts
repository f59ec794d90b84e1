import assert from 'node:assert/strict';
import { test } from 'node:test';
import { denseWorkspace } from '../../../src/reduce/dense-kernels.js';
import {
  candidateRowsDoubles,
  createCandidateRows,
  offerTile,
  sortedCandidates,
} from '../../../src/reduce/knn/candidate-rows.js';
import { mulberry32 } from '../../../src/reduce/rng.js';

/**
 * Random symmetric distances between n rows with many exact ties (values on a coarse grid), offered
 * tile by tile as exact-knn.ts does: the upper triangle of the n x n matrix in tiles of `block` rows.
 */
function offerAll(n: number, k: number, block: number, wasm: boolean) {
  const rng = mulberry32(11);
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) dist[i * n + j] = dist[j * n + i] = Math.floor(rng() * 40) / 8;
  }
  const space = denseWorkspace(candidateRowsDoubles(n, k) + 2 * (block * block + 64), wasm);
  assert.equal(space.wasm, wasm, wasm ? 'wasm/dense.wasm missing: run npm run build:wasm' : '');
  const rows = createCandidateRows(n, k, space);
  const tile = space.array(block * block);
  for (let ib = 0; ib < n; ib += block) {
    for (let jb = ib; jb < n; jb += block) {
      const na = Math.min(block, n - ib);
      const nb = Math.min(block, n - jb);
      for (let a = 0; a < na; a++)
        for (let b = 0; b < nb; b++) tile[a * block + b] = dist[(ib + a) * n + jb + b];
      if (space.offerTile) space.offerTile(tile, block, na, nb, ib, jb, ib === jb, rows);
      else offerTile(rows, tile, block, na, nb, ib, jb, ib === jb);
    }
  }
  return { heap: sortedCandidates(rows), dist };
}

test('candidate buffers keep the k nearest (ties by index within the threshold), the same in WebAssembly and TypeScript', () => {
  const n = 157;
  const k = 9;
  const ts = offerAll(n, k, 16, false);
  const wasm = offerAll(n, k, 16, true);
  assert.deepEqual(wasm.heap.indices, ts.heap.indices);
  assert.deepEqual(wasm.heap.distances, ts.heap.distances);
  for (let i = 0; i < n; i++) {
    // The k smallest distances of the row, whichever rows hold them among ties.
    const all = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .map((j) => ts.dist[i * n + j])
      .sort((a, b) => a - b);
    const got = Array.from(ts.heap.distances.subarray(i * k, (i + 1) * k));
    assert.deepEqual(got, all.slice(0, k), `row ${i}`);
    const idx = ts.heap.indices.subarray(i * k, (i + 1) * k);
    for (let j = 0; j < k; j++) {
      assert.equal(ts.dist[i * n + idx[j]], got[j]);
      if (j > 0 && got[j] === got[j - 1]) assert.ok(idx[j] > idx[j - 1], 'ties by index');
    }
  }
});
