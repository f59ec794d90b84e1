import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CsrMatrix } from '../../../src/reduce/tsne/affinities.js';
import {
  inversePermutation,
  localityOrder,
  permuteCsr,
  permuteRows,
  unpermuteRows,
} from '../../../src/reduce/tsne/locality-order.js';

/** Symmetric CSR from an edge list (both directions stored), values = 1 + i + j. */
function csrFromEdges(n: number, edges: [number, number][]): CsrMatrix {
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [i, j] of edges) {
    rows[i].push([j, 1 + i + j]);
    rows[j].push([i, 1 + i + j]);
  }
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  rows.forEach((r, i) => {
    for (const [c, v] of r) {
      cols.push(c);
      vals.push(v);
    }
    rowPtr[i + 1] = cols.length;
  });
  return { n, rowPtr, cols: Int32Array.from(cols), vals: Float32Array.from(vals) };
}

test('localityOrder is a permutation that numbers graph neighbours consecutively, component by component', () => {
  // Two chains interleaved in index order: 0-2-4-6 and 1-3-5, plus isolated 7.
  const p = csrFromEdges(8, [
    [0, 2],
    [2, 4],
    [4, 6],
    [1, 3],
    [3, 5],
  ]);
  const order = localityOrder(p);
  assert.deepEqual([...order], [0, 2, 4, 6, 1, 3, 5, 7]);
  const rank = inversePermutation(order);
  for (let k = 0; k < 8; k++) assert.equal(rank[order[k]], k);
});

test('permuteCsr keeps every entry (renumbered) and rows round-trip through permute/unpermute', () => {
  const n = 50;
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) edges.push([i, (i * 7 + 3) % n], [i, (i * 13 + 5) % n]);
  const p = csrFromEdges(
    n,
    edges.filter(([i, j]) => i !== j),
  );
  const order = localityOrder(p);
  const q = permuteCsr(p, order);
  const rank = inversePermutation(order);
  const entries = (m: CsrMatrix, map: (i: number) => number) => {
    const out: string[] = [];
    for (let i = 0; i < m.n; i++) {
      for (let e = m.rowPtr[i]; e < m.rowPtr[i + 1]; e++)
        out.push(`${map(i)},${map(m.cols[e])},${m.vals[e]}`);
    }
    return out.sort();
  };
  assert.deepEqual(
    entries(q, (i) => i),
    entries(p, (i) => rank[i]),
  );
  const rows = Float64Array.from({ length: 2 * n }, (_, i) => i * 0.5);
  const back = unpermuteRows(permuteRows(rows, order, 2), order, 2);
  assert.deepEqual([...back], [...rows]);
});
