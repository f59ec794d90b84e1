import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/errors.js';
import { referenceLabelAccuracy } from '../../../src/reduce/metrics/reference-label-accuracy.js';
import { pcaEmbedding } from '../../../src/reduce/pca/pca-embedding.js';
import { placeIntoMap } from '../../../src/reduce/place.js';
import {
  medianPositions,
  PARALLEL_PLACEMENT_MIN_POINTS,
  placeNewPoints,
  placeNewPointsParallel,
  resolvePlacementOptions,
} from '../../../src/reduce/tsne/placement.js';
import { tsne } from '../../../src/reduce/tsne/tsne.js';
import { gaussianClusters } from './helpers.js';

// Overlapping clusters (centres spread 0.8 around unit noise), so that label accuracy is not trivially 1.
const nRef = 800;
const nNew = 200;
const d = 20;
const { data, labels } = gaussianClusters(nRef + nNew, d, 6, 5, 0.8);
const refX = { data: data.slice(0, nRef * d), rows: nRef, cols: d };
const newX = { data: data.slice(nRef * d), rows: nNew, cols: d };

/** Share of placed points nearer (in the map) to their own class's reference centroid than to any other. */
function nearestCentroidShare(refMap: Float32Array, placed: Float32Array, dims: number): number {
  const classes = 6;
  const centroid = new Float64Array(classes * dims);
  const count = new Float64Array(classes);
  for (let i = 0; i < nRef; i++) {
    count[labels[i]]++;
    for (let c = 0; c < dims; c++) centroid[labels[i] * dims + c] += refMap[i * dims + c];
  }
  for (let l = 0; l < classes; l++) for (let c = 0; c < dims; c++) centroid[l * dims + c] /= count[l];
  let hits = 0;
  for (let i = 0; i < nNew; i++) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let l = 0; l < classes; l++) {
      let s = 0;
      for (let c = 0; c < dims; c++) s += (placed[i * dims + c] - centroid[l * dims + c]) ** 2;
      if (s < bestD) {
        bestD = s;
        best = l;
      }
    }
    if (best === labels[nRef + i]) hits++;
  }
  return hits / nNew;
}

for (const [dims, method] of [
  [2, 'fft'],
  [2, 'bh'],
  [3, 'bh'],
] as const) {
  test(`${dims}D ${method}: placed points match a joint map's accuracy, land near their class, and leave the reference as it was`, async () => {
    const joint = await tsne({ data, rows: nRef + nNew, cols: d }, { dims, seed: 3, iterations: 500 });
    const ref = await tsne(refX, { dims, seed: 3, iterations: 500 });
    const before = Buffer.from(ref.embedding.buffer.slice(0));
    const placed = await placeIntoMap(newX, {
      method: 'tsne',
      referenceFeatures: refX,
      referenceMap: { data: ref.embedding, rows: nRef, cols: dims },
      referenceResolved: ref.resolved,
      placement: { method },
    });
    assert.ok(Buffer.from(ref.embedding.buffer).equals(before), 'the reference map was modified');
    assert.equal(placed.embedding.length, nNew * dims);
    assert.ok(placed.embedding.every(Number.isFinite));
    assert.equal(placed.resolved.method, method);
    const jointAcc = referenceLabelAccuracy(
      joint.embedding.subarray(0, nRef * dims),
      nRef,
      joint.embedding.subarray(nRef * dims),
      nNew,
      dims,
      labels,
    );
    const placedAcc = referenceLabelAccuracy(ref.embedding, nRef, placed.embedding, nNew, dims, labels);
    assert.ok(
      jointAcc > 0.85 && jointAcc < 1,
      `joint accuracy ${jointAcc} (the clusters should overlap a little)`,
    );
    assert.ok(Math.abs(placedAcc - jointAcc) <= 0.04, `placed ${placedAcc} vs joint ${jointAcc}`);
    const share = nearestCentroidShare(ref.embedding, placed.embedding, dims);
    assert.ok(share > 0.85, `${share} of the placed points are nearest to their class's centre`);
  });
}

test('new points near one group of the reference land next to that group in the map', () => {
  // A toy reference: two well-apart groups in the map and in feature space; new points near group A.
  const refMap = new Float32Array([0, 0, 1, 0, 0, 1, 1, 1, 20, 20, 21, 20, 20, 21, 21, 21]);
  const feats = new Float32Array([0, 0, 0.1, 0, 0, 0.1, 0.1, 0.1, 5, 5, 5.1, 5, 5, 5.1, 5.1, 5.1]);
  const r = placeNewPoints(
    { data: feats, rows: 8, cols: 2 },
    { data: refMap, rows: 8, cols: 2 },
    { data: new Float32Array([0.05, 0.05, 5.05, 5.05]), rows: 2, cols: 2 },
    { perplexity: 1 },
  );
  assert.equal(r.resolved.k, 3);
  assert.ok(
    Math.hypot(r.embedding[0] - 0.5, r.embedding[1] - 0.5) < 3,
    `first at ${r.embedding.slice(0, 2)}`,
  );
  assert.ok(
    Math.hypot(r.embedding[2] - 20.5, r.embedding[3] - 20.5) < 3,
    `second at ${r.embedding.slice(2)}`,
  );
});

test('medianPositions takes the per-coordinate median of the neighbours', () => {
  const ref = new Float64Array([0, 10, 1, 20, 5, 0, 2, 2]);
  const y = medianPositions(ref, 2, new Int32Array([0, 1, 2, 1, 2, 3]), 2, 3);
  assert.deepEqual(Array.from(y), [1, 10, 2, 2]);
});

test('PCA maps place by projection: the reference rows land on their own map positions', async () => {
  const ref = pcaEmbedding(refX, { components: 2, seed: 0 });
  const placed = await placeIntoMap(
    { data: refX.data.subarray(0, 50 * d), rows: 50, cols: d },
    {
      method: 'pca',
      referenceFeatures: refX,
      referenceMap: { data: ref.embedding, rows: nRef, cols: 2 },
      referenceResolved: { seed: 0 },
    },
  );
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(placed.embedding[i] - ref.embedding[i]) < 1e-4);
});

test('bad input: other feature widths, UMAP maps, FFT in 3D, bad options', async () => {
  const map = { data: new Float32Array(nRef * 2), rows: nRef, cols: 2 };
  const base = { referenceFeatures: refX, referenceMap: map, referenceResolved: {} };
  await assert.rejects(
    placeIntoMap({ data: new Float32Array(10 * 7), rows: 10, cols: 7 }, { ...base, method: 'tsne' }),
    (e) =>
      e instanceof UserError && /7 columns .* 20/.test(e.message) && /same model and layer/.test(e.message),
  );
  await assert.rejects(
    placeIntoMap(newX, { ...base, method: 'umap' }),
    (e) => e instanceof UserError && /UMAP maps cannot take new points/.test(e.message),
  );
  assert.throws(() => resolvePlacementOptions(10, { method: 'fft' }, 3), /2D only/);
  assert.throws(() => resolvePlacementOptions(10, { perplexity: -1 }, 2), /perplexity/);
  assert.throws(() => resolvePlacementOptions(10, { iterations: 1.5 }, 2), /iterations/);
});

test('several threads place exactly as one does (new points do not interact)', async () => {
  const many = gaussianClusters(PARALLEL_PLACEMENT_MIN_POINTS + 100, d, 6, 8, 0.8);
  const x = { data: many.data, rows: PARALLEL_PLACEMENT_MIN_POINTS + 100, cols: d };
  const refMap = { data: new Float32Array(nRef * 2).map((_, i) => Math.sin(i) * 20), rows: nRef, cols: 2 };
  const options = { iterations: 20 };
  const one = await placeNewPointsParallel(refX, refMap, x, { ...options, threads: 1 });
  const two = await placeNewPointsParallel(refX, refMap, x, { ...options, threads: 2 });
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  assert.deepEqual(two.warnings, []);
  assert.deepEqual(two.embedding, one.embedding);
  assert.deepEqual(two.neighbors.indices, one.neighbors.indices);
});
