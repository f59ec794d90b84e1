import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError } from '../../../src/errors.js';
import { knn } from '../../../src/reduce/knn/knn.js';
import { knnLabelAccuracy } from '../../../src/reduce/metrics/knn-label-accuracy.js';
import { autoEpochs, umap } from '../../../src/reduce/umap/umap.js';
import { gaussianClusters } from '../knn/synthetic-data.js';

test('UMAP separates well-separated clusters (2D and 3D) and is deterministic for a seed', async () => {
  const n = 600;
  const d = 20;
  const { data, labels } = gaussianClusters(n, d, 5, 2, 8, 1);
  for (const dims of [2, 3] as const) {
    const a = await umap({ data, rows: n, cols: d }, { dims, seed: 3, nEpochs: 150 });
    assert.equal(a.embedding.length, n * dims);
    assert.ok(a.embedding.every(Number.isFinite));
    const acc = knnLabelAccuracy(a.embedding, n, dims, labels, 10);
    assert.ok(acc > 0.9, `${dims}D accuracy ${acc}`);
    const b = await umap({ data, rows: n, cols: d }, { dims, seed: 3, nEpochs: 150 });
    assert.deepEqual(b.embedding, a.embedding);
  }
  const c = await umap({ data, rows: n, cols: d }, { seed: 4, nEpochs: 150 });
  const a = await umap({ data, rows: n, cols: d }, { seed: 3, nEpochs: 150 });
  assert.notDeepEqual(c.embedding, a.embedding);
});

test('a shared neighbour graph with larger k gives the same layout as computing it', async () => {
  const n = 300;
  const d = 8;
  const { data } = gaussianClusters(n, d, 3, 5);
  const graph = knn(data, n, d, 40);
  const shared = await umap({ data, rows: n, cols: d }, { seed: 1, nEpochs: 50, knn: graph });
  const own = await umap({ data, rows: n, cols: d }, { seed: 1, nEpochs: 50 });
  assert.deepEqual(shared.embedding, own.embedding);
  assert.equal(shared.resolved.knnShared, true);
});

test('tiny inputs clamp nNeighbors with a warning; cancellation throws CancelledError', async () => {
  const { data } = gaussianClusters(8, 3, 2, 1);
  const r = await umap({ data, rows: 8, cols: 3 }, { nEpochs: 20 });
  assert.equal(r.resolved.nNeighbors, 7);
  assert.equal(r.warnings.length, 1);
  assert.equal(autoEpochs(2000), 500);
  assert.equal(autoEpochs(70_000), 200);
  const ctrl = new AbortController();
  ctrl.abort();
  await assert.rejects(
    umap({ data, rows: 8, cols: 3 }, { nEpochs: 20, signal: ctrl.signal }),
    CancelledError,
  );
});
