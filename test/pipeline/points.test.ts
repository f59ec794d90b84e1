import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAGE_NEIGHBORS, pageNeighbors, tsneGraph } from '../../src/pipeline/points.js';
import { pca } from '../../src/reduce/pca/pca.js';
import { tsneAffinities } from '../../src/reduce/tsne/tsne.js';
import { bruteKnn, gaussianClusters } from '../reduce/tsne/helpers.js';

test("page neighbours: t-SNE's graph after its PCA-50 when t-SNE ran, else a search of the features", async () => {
  const n = 300;
  const d = 90;
  const { data } = gaussianClusters(n, d, 5, 11, 1.5);
  const searched = await pageNeighbors(data, n, d, { seed: 2 });
  assert.ok(searched);
  assert.equal(searched.k, PAGE_NEIGHBORS);
  assert.deepEqual(searched.resolved, {
    k: 8,
    space: 'features',
    from: 'search',
    method: 'exact',
    threads: 1,
  });
  assert.deepEqual(searched.indices, bruteKnn(data, n, d, PAGE_NEIGHBORS).indices);
  // t-SNE's graph (k = 3 x perplexity, on its PCA-50 pre-reduction) gives its first 8 columns.
  const affinities = await tsneAffinities(
    { data, rows: n, cols: d },
    { seed: 2, perplexity: 10, keepNeighbors: 8 },
  );
  const fromGraph = await pageNeighbors(data, n, d, { seed: 2, graph: tsneGraph(affinities) });
  assert.ok(fromGraph);
  const projected = pca(data, n, d, 50, { seed: 2 }).projected;
  assert.deepEqual(fromGraph.indices, bruteKnn(projected, n, 50, PAGE_NEIGHBORS).indices);
  assert.equal(fromGraph.resolved.from, 'tsne-graph');
  assert.equal(fromGraph.resolved.space, 'pca-50');
  // A graph with fewer neighbours than the page lists is not enough: searched instead.
  const short = await pageNeighbors(data, n, d, { seed: 2, graph: { ...tsneGraph(affinities)!, k: 4 } });
  assert.equal(short?.resolved.from, 'search');
});

test('page neighbours of narrow features use them as they are, on any number of threads', async () => {
  const n = 3200; // above the size where the exact search splits over threads
  const d = 12;
  const { data } = gaussianClusters(n, d, 6, 5);
  const one = await pageNeighbors(data, n, d, { threads: 1 });
  const two = await pageNeighbors(data, n, d, { threads: 2 });
  assert.ok(one && two);
  assert.equal(one.resolved.space, 'features');
  assert.equal(two.resolved.threads, 2);
  assert.deepEqual(two.indices, one.indices);
  const brute = bruteKnn(data.subarray(0, 200 * d), 200, d, 8).indices;
  const small = await pageNeighbors(data.subarray(0, 200 * d), 200, d);
  assert.deepEqual(small?.indices, brute);
  assert.equal(await pageNeighbors(data, 1, d), undefined);
  assert.equal((await pageNeighbors(data, 3, d))?.k, 2);
});
