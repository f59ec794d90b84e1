/** `--data` values as domains, form detection, and one class list across domains. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseClassIndex } from '../../src/dataset/class-index.js';
import { resolveClasses } from '../../src/dataset/classes.js';
import { loadData, parseDataSpecs } from '../../src/dataset/domains.js';
import { scanImageFolder } from '../../src/dataset/image-folder.js';
import { loadDataSource } from '../../src/dataset/source.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';

const MNIST = join(import.meta.dirname, '..', 'fixtures', 'mnist');

test('one --data is a path (even with "=" in it); several must all be distinct NAME=DIR', () => {
  assert.deepEqual(parseDataSpecs(['data/test']), [{ name: null, root: 'data/test' }]);
  assert.deepEqual(parseDataSpecs(['./runs/lr=0.1']), [{ name: null, root: './runs/lr=0.1' }]);
  assert.deepEqual(parseDataSpecs(['target=data/usps']), [{ name: 'target', root: 'data/usps' }]);
  assert.deepEqual(parseDataSpecs(['source=a=b', 'target=c']), [
    { name: 'source', root: 'a=b' },
    { name: 'target', root: 'c' },
  ]);
  assert.throws(() => parseDataSpecs(['a', 'b=c']), /"a" has no NAME= in front/);
  assert.throws(() => parseDataSpecs(['=a', 'b=c']), /"=a" has no NAME= in front/);
  assert.throws(() => parseDataSpecs(['x=a', 'x=c']), /"x" is given twice/);
});

test('an ImageFolder reads exactly as the torchvision scan', async () => {
  const root = exampleSubset(2, ['Coat', 'Bag', 'Trouser']);
  mkdirSync(join(root, 'Empty'));
  const source = await loadDataSource(root, null);
  const scan = await scanImageFolder(root, null);
  assert.equal(source.form, 'image-folder');
  assert.deepEqual(source.labelNames, ['Bag', 'Coat', 'Empty', 'Trouser']);
  assert.deepEqual(source.items, scan.items);
  const data = await loadData([{ name: null, root }], null, null, null);
  assert.deepEqual(data.classes, ['Bag', 'Coat', 'Empty', 'Trouser']);
  assert.equal(data.classesDetail, 'class folders, sorted (torchvision ImageFolder)');
  assert.deepEqual(
    data.items.map((it) => it.labelId),
    scan.items.map((it) => it.labelId),
  );
});

test('a flat folder lists its images sorted by code point, unlabelled; other files are ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-flat-'));
  const src = join(EXAMPLE, 'data', 'Bag', readdirSync(join(EXAMPLE, 'data', 'Bag'))[0]);
  for (const f of ['b.png', 'A.PNG', 'é.png', 'a.png']) copyFileSync(src, join(dir, f));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
  const source = await loadDataSource(dir, null);
  assert.equal(source.form, 'flat-folder');
  assert.deepEqual(
    source.items.map((it) => [it.path, it.labelId]),
    [
      ['A.PNG', -1],
      ['a.png', -1],
      ['b.png', -1],
      ['é.png', -1],
    ],
  );
});

function csvList(rows: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fs-list-'));
  writeFileSync(join(dir, 'list.csv'), rows);
  return join(dir, 'list.csv');
}

test('a CSV list alone: classes are its sorted distinct labels', async () => {
  const list = csvList('path,label\nx.png,zebra\ny.png,ant\nz.png,zebra\nw.png,\n');
  const data = await loadData([{ name: null, root: list }], null, null, null);
  assert.deepEqual(data.classes, ['ant', 'zebra']);
  assert.deepEqual(
    data.items.map((it) => [it.path, it.labelId]),
    [
      ['x.png', 1],
      ['y.png', 0],
      ['z.png', 1],
      ['w.png', -1],
    ],
  );
});

test('a CSV list whose labels are all whole numbers holds class ids, not names sorted as text', async () => {
  const list = csvList('path,label\na.png,10\nb.png,2\nc.png,\nd.png,0\n');
  const data = await loadData([{ name: null, root: list }], null, null, null);
  assert.deepEqual(
    data.items.map((it) => it.labelId),
    [10, 2, -1, 0],
  );
  assert.equal(data.classes.length, 11);
  assert.equal(data.classes[10], '10');
  // The model's class names name the ids when it has enough of them.
  const named = await loadData(
    [{ name: null, root: list }],
    null,
    null,
    parseClassIndex(
      Array.from({ length: 12 }, (_, i) => `c${i}`),
      'meta',
    ),
  );
  assert.equal(named.classesFrom, 'model-metadata');
  assert.deepEqual(
    named.items.map((it) => (it.labelId < 0 ? '' : named.classes[it.labelId])),
    ['c10', 'c2', '', 'c0'],
  );
  // Next to an MNIST-family domain, CSV ids index its class list.
  const both = await loadData(
    [
      { name: 'idx', root: MNIST },
      { name: 'csv', root: csvList('path,label\na.png,8\nb.png,1\n') },
    ],
    null,
    null,
    null,
  );
  assert.equal(both.classesDetail, "torchvision's FashionMNIST classes");
  assert.deepEqual(
    both.items.slice(-2).map((it) => both.classes[it.labelId]),
    ['Bag', 'Trouser'],
  );
});

test('domains: the same folders share their list; different ones get the sorted union, with a warning', async () => {
  const a = exampleSubset(1, ['Bag', 'Coat']);
  const b = exampleSubset(1, ['Bag', 'Coat']);
  const same = await loadData(
    [
      { name: 's', root: a },
      { name: 't', root: b },
    ],
    null,
    null,
    null,
  );
  assert.deepEqual(same.classes, ['Bag', 'Coat']);
  assert.deepEqual(same.warnings, []);
  assert.deepEqual(
    same.items.map((it) => [it.domain, it.labelId]),
    [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
  );
  const list = csvList('path,label\nx.png,Trouser\ny.png,Bag\n');
  const union = await loadData(
    [
      { name: 's', root: a },
      { name: 't', root: list },
    ],
    null,
    null,
    null,
  );
  assert.deepEqual(union.classes, ['Bag', 'Coat', 'Trouser']);
  assert.match(union.warnings.join('\n'), /sorted union \(3\)/);
  assert.deepEqual(
    union.items.map((it) => it.labelId),
    [0, 1, 2, 0],
  );
});

test("an MNIST-family domain's class list (ids) wins over folder names, which must be in it", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-folders-'));
  for (const c of ['Bag', 'Trouser']) {
    mkdirSync(join(dir, c));
    const f = readdirSync(join(EXAMPLE, 'data', c))[0];
    copyFileSync(join(EXAMPLE, 'data', c, f), join(dir, c, f));
  }
  const data = await loadData(
    [
      { name: 'folders', root: dir },
      { name: 'idx', root: MNIST },
    ],
    null,
    null,
    null,
  );
  assert.equal(data.classes[8], 'Bag');
  assert.equal(data.classesDetail, "torchvision's FashionMNIST classes");
  assert.deepEqual(
    data.items.slice(0, 2).map((it) => it.labelId),
    [8, 1],
  );
  mkdirSync(join(dir, 'Handbag'));
  await assert.rejects(
    loadData(
      [
        { name: 'folders', root: dir },
        { name: 'idx', root: MNIST },
      ],
      null,
      null,
      null,
    ),
    /The class folder "Handbag" in domain "folders" .* is not named in torchvision's FashionMNIST classes/,
  );
});

test('a class-index file maps CSV names and whole-number ids; IDX labels must fit in it', async () => {
  const index = parseClassIndex(['cat', 'dog', 'owl'], 'classes.json');
  const list = csvList('path,label\na.png,dog\nb.png,2\nc.png,\n');
  const data = await loadData([{ name: null, root: list }], null, index, null);
  assert.deepEqual(
    data.items.map((it) => it.labelId),
    [1, 2, -1],
  );
  assert.equal(data.classesFrom, 'classes-file');
  await assert.rejects(
    loadData([{ name: null, root: MNIST }], null, index, null),
    /has labels up to 9, but the class-index file classes\.json names only 3/,
  );
  // Model metadata is used only when it names every label; otherwise the data's own list, as before.
  const source = await loadDataSource(list, null);
  const warnings: string[] = [];
  const partial = resolveClasses([{ name: null, source }], null, parseClassIndex(['dog'], 'meta'), warnings);
  assert.equal(partial.from, 'data');
  assert.match(
    warnings.join('\n'),
    /meta does not name the label\(s\) 2, so the data's own classes are used/,
  );
  assert.deepEqual(partial.names, ['2', 'dog']);
});

test('--split needs an MNIST-family folder among the domains', async () => {
  const a = exampleSubset(1, ['Bag']);
  await assert.rejects(
    loadData([{ name: null, root: a }], 'train', null, null),
    /--split train .* but --data is an ImageFolder/,
  );
  const ok = await loadData(
    [
      { name: 's', root: a },
      { name: 't', root: MNIST },
    ],
    'train',
    null,
    null,
  );
  assert.equal(ok.domains[1].split, 'train');
  assert.equal(ok.domains[1].n, 4);
});
