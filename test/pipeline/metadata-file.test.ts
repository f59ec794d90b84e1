import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { joinMetadata, readMetadataFile } from '../../src/pipeline/metadata-file.js';
import { buildExploreData } from '../../src/render/html/explore-data.js';
import { syntheticPoints } from '../render/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-metadata-unit-'));

test('numbers (with NA / empty cells) become a number column, anything else a category; quoted fields and a BOM are read', async () => {
  const file = join(dir, 'm.csv');
  writeFileSync(
    file,
    '\ufeffsite,path,age,note\r\nOslo,a.png,41,"has, a comma"\r\n"Lima",b.png,NA,x\r\n,c.png,,3\r\nOslo,"d ""q"".png",1e2,y\r\n',
  );
  const table = await readMetadataFile(file);
  assert.deepEqual(table.columns, ['site', 'age', 'note']);
  const { metadata, warning } = joinMetadata(table, ['c.png', 'a.png', 'zzz.png', 'd "q".png', 'b.png']);
  assert.match(
    warning ?? '',
    /^1 of 5 images have no row in the metadata file \S+m\.csv \(e\.g\. zzz\.png\)/,
  );
  const [site, age, note] = metadata.columns;
  assert.deepEqual(site, { name: 'site', kind: 'category', values: ['', 'Oslo', '', 'Oslo', 'Lima'] });
  assert.equal(age.kind, 'number');
  assert.deepEqual(Array.from(age.values as Float64Array), [Number.NaN, 41, Number.NaN, 100, Number.NaN]);
  // One text cell makes the whole column categorical (its numbers stay as written).
  assert.deepEqual(note, { name: 'note', kind: 'category', values: ['3', 'has, a comma', '', 'y', 'x'] });
  assert.equal(joinMetadata(table, ['a.png', 'b.png', 'c.png', 'd "q".png']).warning, null);
});

test('page data: categories in natural order with palette colours, numbers as float32, sets with fixed colours', () => {
  const { points } = syntheticPoints({ n: 4, classes: 2, seed: 1 });
  points.metadata = {
    columns: [
      { name: 'slide', kind: 'category', values: ['s10', 's2', '', 's2'] },
      { name: 'score', kind: 'number', values: Float64Array.from([1 / 3, Number.NaN, 2, -5e-7]) },
    ],
  };
  points.sets = { names: ['reference', 'new'], ids: Int32Array.from([0, 0, 1, 1]) };
  const { json, arrays } = buildExploreData(points);
  const [slide, score] = json.metadata;
  assert.ok(slide.kind === 'category' && score.kind === 'number');
  assert.deepEqual(slide.categories, ['s2', 's10']);
  assert.deepEqual(arrays[slide.array], Int16Array.from([1, 0, -1, 0]));
  assert.equal(slide.colors.length, 2);
  assert.notEqual(slide.colors[0], slide.colors[1]);
  assert.deepEqual(arrays[score.array], Float32Array.from([1 / 3, Number.NaN, 2, -5e-7]));
  assert.deepEqual(json.sets, { names: ['reference', 'new'], colors: ['#a3a3a3', '#e8590c'] });
  assert.deepEqual(arrays.setIds, Uint8Array.from([0, 0, 1, 1]));
});
