import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tsne, tsneAffinities } from '../../../src/reduce/tsne/tsne.js';
import { bruteKnn, gaussianClusters } from './helpers.js';

test('a map given the affinities of another map of the same features is the map it would compute', async () => {
  for (const d of [80, 8]) {
    // 80 dims: PCA pre-reduction to 50 (its leading components start both maps); 8: the features as they are.
    const n = 240;
    const { data } = gaussianClusters(n, d, 4, 7);
    const x = { data, rows: n, cols: d };
    const options = { perplexity: 12, seed: 3, iterations: 120 };
    const affinities = await tsneAffinities(x, { ...options, keepNeighbors: 5 });
    for (const dims of [2, 3] as const) {
      const own = await tsne(x, { ...options, dims });
      const given = await tsne(x, { ...options, dims, affinities });
      assert.deepEqual(given.embedding, own.embedding, `d=${d}, ${dims}D`);
      assert.equal(given.klDivergence, own.klDivergence);
      assert.equal(own.resolved.affinities, 'computed');
      assert.equal(given.resolved.affinities, 'given');
    }
    // Other options shape another P: the given one is not used.
    const other = await tsne(x, { ...options, perplexity: 20, affinities });
    assert.equal(other.resolved.affinities, 'computed');
    assert.deepEqual(other.embedding, (await tsne(x, { ...options, perplexity: 20 })).embedding);
    // The nearest neighbours kept for the pages are the exact ones in the space P was built in.
    assert.equal(affinities.nearest.k, 5);
    assert.equal(affinities.pcaDims, d > 50 ? 50 : null);
    if (d === 8) assert.deepEqual(affinities.nearest.indices, bruteKnn(data, n, d, 5).indices);
  }
});
