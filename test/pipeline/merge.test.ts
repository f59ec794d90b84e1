/** The library side of shards: classify({ shard }), classifyPart and merge, typed as a user calls them. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CLASSIFY_DEFAULTS,
  type ClassifyOptions,
  classify,
  classifyPart,
  MODEL_DEFAULTS,
  merge,
  PLOT_DEFAULTS,
  REDUCE_DEFAULTS,
  run,
  UserError,
} from '../../src/index.js';
import { writeClassifyOutputs } from '../../src/pipeline/classify-outputs.js';
import { exampleSubset } from '../helpers/example-subset.js';
import { assertSameClassify, MODEL } from '../helpers/shards.js';

test('classify({ shard }) classifies its rows; classifyPart + merge equal one classify; run refuses a shard', async () => {
  const data = exampleSubset(3); // 30 images
  const tmp = mkdtempSync(join(tmpdir(), 'fs-merge-'));
  const options: ClassifyOptions = { ...MODEL_DEFAULTS, ...CLASSIFY_DEFAULTS, model: MODEL, data };
  const whole = await classify(options);
  await writeClassifyOutputs(join(tmp, 'whole'), whole);

  const part = await classify({ ...options, shard: { index: 1, count: 3 } });
  assert.deepEqual(part.shard, { index: 1, count: 3, start: 10, end: 20, total: 30 });
  assert.deepEqual(part.paths, whole.paths.slice(10, 20));
  assert.deepEqual(part.features, whole.features.slice(10 * whole.featureDim, 20 * whole.featureDim));

  const out = join(tmp, 'out');
  const outcomes = [];
  for (let index = 0; index < 3; index++)
    outcomes.push(
      (await classifyPart({ classify: { ...options, shard: { index, count: 3 } }, out })).outcome,
    );
  assert.deepEqual(outcomes, ['written', 'written', 'written']);
  assert.equal(
    (await classifyPart({ classify: { ...options, shard: { index: 2, count: 3 } }, out })).outcome,
    'done',
  );
  const r = await merge({ out });
  assert.equal(r.parts, 3);
  assert.equal(r.manifest.data?.n, 30);
  assertSameClassify(out, join(tmp, 'whole'));

  await assert.rejects(
    run({
      classify: { ...options, shard: { index: 0, count: 3 } },
      out,
      reduce: REDUCE_DEFAULTS,
      plot: PLOT_DEFAULTS,
      force: false,
    }),
    (e: unknown) => e instanceof UserError && /not of a part/.test(e.message),
  );
});
