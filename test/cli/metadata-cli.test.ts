/**
 * `--metadata FILE.csv` on run and plot: extra columns joined on `path` reach the pages (numbers as
 * a continuous colouring, text as categories), `--color-by confidence|metadata:COLUMN` opens the pages
 * so, and every bad metadata file is refused with one paragraph before any work.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { parseCsvRecords } from '../../src/io/csv.js';
import { assertRefused, hasStackTrace, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { pageDataFile as pageData } from '../helpers/page-data.js';

const MODEL = join(EXAMPLE, 'model.onnx');
const dir = mkdtempSync(join(tmpdir(), 'fs-metadata-'));
let data = '';
let out = '';
let paths: string[] = [];

function save(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function runArgs(outDir: string, ...extra: string[]): string[] {
  return [
    'run',
    '--model',
    MODEL,
    '--data',
    data,
    '--out',
    outDir,
    '--method',
    'pca',
    '--dims',
    '2',
    '--no-thumbnails',
    ...extra,
  ];
}

before(() => {
  const classes = ['Bag', 'Coat', 'Trouser'];
  data = exampleSubset(4, classes);
  out = join(dir, 'run');
  // An ImageFolder's paths as predictions.csv writes them: class/file, relative to the data root.
  paths = classes.flatMap((c) => readdirSync(join(data, c)).map((f) => `${c}/${f}`));
  assert.equal(paths.length, 12);
});

test('run --metadata joins on path: numbers and categories reach the page, a point without a row is counted in a warning', async () => {
  // Every image but the last, an extra row for an image not in the run, and a missing score (NA).
  const rows = paths
    .slice(0, -1)
    .map((p, i) => `${p},${i === 2 ? 'NA' : i * 0.5},${i % 2 ? 'left' : 'right'}`);
  const meta = save('meta.csv', `path,score,side\n${rows.join('\n')}\nnot/in/the/run.png,1,left\n`);
  const r = await runCli(runArgs(out, '--metadata', meta, '--color-by', 'metadata:score'));
  assert.equal(r.code, 0, r.stderr);
  const written = parseCsvRecords(readFileSync(join(out, 'predictions.csv'), 'utf8')).records;
  assert.deepEqual(written.map((rec) => rec.path).sort(), [...paths].sort());
  assert.match(
    r.stderr,
    /warning: 1 of 12 images have no row in the metadata file \S*meta\.csv \(e\.g\. \S+\); the pages show them as "no value"/,
  );
  const page = pageData(join(out, 'pca-2d.html'));
  assert.equal(page.colorBy, 'metadata:score');
  const [score, side] = page.metadata;
  assert.equal(score.kind, 'number');
  assert.equal(side.kind, 'category');
  if (score.kind !== 'number' || side.kind !== 'category') return;
  const values = page.arrays[score.array];
  const ids = page.arrays[side.array];
  for (let i = 0; i < 12; i++) {
    const want = i === 11 || i === 2 ? Number.NaN : i * 0.5;
    assert.equal(values[page.paths.indexOf(paths[i])], want, paths[i]);
  }
  assert.deepEqual(side.categories, ['left', 'right']);
  assert.equal(ids[page.paths.indexOf(paths[11])], -1);
  assert.equal(ids[page.paths.indexOf(paths[1])], 0);
  const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(m.options.plot.metadata, meta);
  assert.equal(m.options.plot.resolvedColorBy, 'metadata:score');

  // plot takes --metadata too, and can open the pages coloured by confidence.
  const p = await runCli([
    'plot',
    '--run',
    out,
    '--no-thumbnails',
    '--metadata',
    meta,
    '--color-by',
    'confidence',
  ]);
  assert.equal(p.code, 0, p.stderr);
  const again = pageData(join(out, 'pca-2d.html'));
  assert.equal(again.colorBy, 'confidence');
  assert.equal(again.metadata.length, 2);
});

test('plot without --metadata reuses the file run.json records (as an absolute path); one that is gone is a warning', async () => {
  const meta = save('ranks.csv', `path,rank\n${paths.map((p, i) => `${p},${i}`).join('\n')}\n`);
  const out2 = join(dir, 'run-ranks');
  // Given relative to the working folder, recorded absolute: plot may run from anywhere.
  const r = await runCli(runArgs(out2, '--metadata', relative(process.cwd(), meta)));
  assert.equal(r.code, 0, r.stderr);
  const manifest = () => JSON.parse(readFileSync(join(out2, 'run.json'), 'utf8'));
  assert.equal(manifest().options.plot.metadata, meta);
  const p = await runCli(['plot', '--run', out2, '--no-thumbnails', '--color-by', 'metadata:rank']);
  assert.equal(p.code, 0, p.stderr);
  const page = pageData(join(out2, 'pca-2d.html'));
  assert.equal(page.colorBy, 'metadata:rank');
  assert.deepEqual(
    page.metadata.map((c) => c.name),
    ['rank'],
  );
  assert.equal(manifest().options.plot.metadata, meta);

  // The file is gone: the pages are drawn without its columns, and the warning says how to add them.
  rmSync(meta);
  const g = await runCli(['plot', '--run', out2, '--no-thumbnails']);
  assert.equal(g.code, 0, g.stderr);
  assert.match(
    g.stderr,
    /warning: run\.json records the metadata file \S*ranks\.csv, which is not there any more, so the pages have no metadata columns; give --metadata FILE\.csv to add them again/,
  );
  assert.equal(pageData(join(out2, 'pca-2d.html')).metadata.length, 0);
  assert.equal(manifest().options.plot.metadata, null);
});

test('bad metadata files and --color-by metadata:COLUMN: one paragraph, exit 1 (2 for usage), nothing redrawn', async () => {
  const page = join(out, 'pca-2d.html');
  const before = statSync(page).mtimeMs;
  const cases: [string[], RegExp, number?][] = [
    [
      ['--metadata', join(dir, 'missing.csv')],
      /metadata file \S*missing\.csv cannot be read: ENOENT\. Check the --metadata path/,
    ],
    [
      ['--metadata', save('nopath.csv', 'file,score\na.png,1\n')],
      /nopath\.csv has no `path` column \(its header is: file, score\)/,
    ],
    [
      ['--metadata', save('only.csv', `path\n${paths[0]}\n`)],
      /only\.csv has only a `path` column: nothing to colour by/,
    ],
    [
      ['--metadata', save('dup.csv', `path,score\n${paths[0]},1\n${paths[1]},2\n${paths[0]},3\n`)],
      new RegExp(`dup\\.csv lists the path ${paths[0]} twice \\(rows 2 and 4\\); give each image one row`),
    ],
    [
      ['--metadata', save('nomatch.csv', 'path,score\n/abs/a.png,1\n/abs/b.png,2\n')],
      /None of the 12 image paths matches a `path` in the metadata file \S*nomatch\.csv \(e\.g\. image "\S+", metadata "\/abs\/a\.png"\)/,
    ],
    [['--metadata', save('empty.csv', '')], /empty\.csv is empty/],
    [
      // --metadata '' leaves out the file run.json records.
      ['--metadata', '', '--color-by', 'metadata:score'],
      /--color-by metadata:score needs --metadata FILE\.csv with a column named score/,
      2,
    ],
    [
      ['--color-by', 'metadata:nope', '--metadata', save('ok.csv', `path,score\n${paths[0]},1\n`)],
      /--color-by metadata:nope: the metadata file has no column nope; its columns are score/,
      2,
    ],
  ];
  // Refusals write nothing, so they can run side by side.
  const results = await Promise.all(
    cases.map(([args]) => runCli(['plot', '--run', out, '--no-thumbnails', ...args])),
  );
  for (const [c, [args, message, code]] of cases.entries()) {
    const r = results[c];
    assert.equal(r.code, code ?? 1, `${args.join(' ')}\n${r.stderr}`);
    assert.match(r.stderr, message);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(statSync(page).mtimeMs, before, 'the pages were not redrawn');

  // run refuses a bad file before any work: the output folder stays empty.
  const fresh = join(mkdtempSync(join(dir, 'fresh-')), 'out');
  const r = await runCli(runArgs(fresh, '--metadata', join(dir, 'nopath.csv')));
  assertRefused({ ...r, out: fresh }, /nopath\.csv has no `path` column/);
});
