/**
 * Two domains in one run through the CLI (`--data source=DIR --data target=LIST.csv`): one inference
 * pass, a domain column in predictions.csv and the maps, accuracy per domain in the report and
 * run.json, and pages coloured by domain with a marker per class, checked in Chromium.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { parseCsvRecords } from '../../src/io/csv.js';
import { decodeNpyMatrix } from '../../src/io/npy.js';
import { runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { pageDataOf } from '../helpers/page-data.js';
import { launchChromium, recordPage } from '../render/browser.js';
import { type BrowserGlobals, openPage, pixelAt } from '../render/html/page-fixture.js';

const MODEL = join(EXAMPLE, 'model.onnx');
let browser: Browser;
let out = '';
let source = '';
let target = '';

/** The target domain: a CSV list of other images of the same classes (the 5th to 8th of each). */
function targetList(classes: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fs-target-'));
  const rows = ['path,label'];
  for (const c of classes) {
    for (const f of readdirSync(join(EXAMPLE, 'data', c))
      .sort()
      .slice(4, 8)) {
      copyFileSync(join(EXAMPLE, 'data', c, f), join(dir, `${c}-${f}`));
      rows.push(`${c}-${f},${c}`);
    }
  }
  writeFileSync(join(dir, 'target.csv'), `${rows.join('\n')}\n`);
  return join(dir, 'target.csv');
}

before(async () => {
  const classes = ['Bag', 'Coat', 'Trouser'];
  source = exampleSubset(4, classes);
  target = targetList(classes);
  out = mkdtempSync(join(tmpdir(), 'fs-domains-'));
  const r = await runCli([
    'run',
    '--model',
    MODEL,
    '--data',
    `source=${source}`,
    '--data',
    `target=${target}`,
    '--out',
    out,
    '--method',
    'pca',
    '--dims',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

function table(file: string) {
  return parseCsvRecords(readFileSync(join(out, file), 'utf8'));
}

test('predictions.csv has a domain column after path; the map CSV has it last; one features.npy', () => {
  const { header, records } = table('predictions.csv');
  assert.deepEqual(header.slice(0, 4), ['path', 'domain', 'label_id', 'label_name']);
  assert.equal(records.length, 24);
  assert.deepEqual(
    records.map((x) => x.domain),
    [...Array(12).fill('source'), ...Array(12).fill('target')],
  );
  assert.equal(records[0].path, `Bag/${readdirSync(join(source, 'Bag')).sort()[0]}`);
  assert.match(records[12].path, /^Bag-/);
  const map = table('pca-2d.csv');
  assert.equal(map.header.at(-1), 'domain');
  assert.deepEqual(
    map.records.map((x) => [x.path, x.domain]),
    records.map((x) => [x.path, x.domain]),
  );
  assert.equal(decodeNpyMatrix(readFileSync(join(out, 'features.npy'))).rows, 24);
});

test('the report and run.json give accuracy per domain, equal to the predictions', () => {
  const { records } = table('predictions.csv');
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.deepEqual(manifest.data.domains, [
    { name: 'source', root: source, form: 'image-folder', n: 12 },
    { name: 'target', root: target, form: 'csv-list', n: 12 },
  ]);
  assert.equal(manifest.options.plot.resolvedColorBy, 'domain');
  const report = readFileSync(join(out, 'index.html'), 'utf8');
  const section = /<section id="domains">([\s\S]*?)<\/section>/.exec(report)?.[1] ?? '';
  for (const name of ['source', 'target']) {
    const rows = records.filter((x) => x.domain === name);
    const acc = rows.filter((x) => x.top1_id === x.label_id).length / rows.length;
    const entry = manifest.metrics.perDomainAccuracy.find((d: { name: string }) => d.name === name);
    assert.equal(entry.accuracy, acc);
    assert.equal(entry.labelled, 12);
    assert.match(
      section,
      new RegExp(
        `<td>${name}</td><td class="num">12</td><td class="num">12</td><td class="num">${(acc * 100).toFixed(2)}%`,
      ),
    );
  }
});

test('the static figure colours by domain and lists the classes by marker', () => {
  const svg = readFileSync(join(out, 'pca-2d.svg'), 'utf8');
  assert.match(svg, /coloured by domain, marker by class/);
  const legend = [
    ...svg.matchAll(/<g class="legend-entry"><path fill="(#[0-9a-f]{6})"[^>]*\/><text[^>]*>([^<]*)</g),
  ].map((m) => [m[2], m[1]]);
  // Domains first, then the classes with points in the model's class order (Trouser 1, Coat 4, Bag 8).
  assert.deepEqual(legend, [
    ['source', '#1f77b4'],
    ['target', '#d62728'],
    ['Trouser', '#555555'],
    ['Coat', '#555555'],
    ['Bag', '#555555'],
  ]);
  // Every point is drawn in one of the two domain colours.
  const fills = new Set([...svg.matchAll(/<path fill="(#[0-9a-f]{6})" d=/g)].map((m) => m[1]));
  assert.ok(fills.has('#1f77b4') && fills.has('#d62728'));
});

async function legendNames(page: Page): Promise<string[]> {
  return page.locator('#fs-legend-list .fs-name').allTextContents();
}

test('the page opens coloured by domain with a marker per class, and the control switches it', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, pathToFileURL(join(out, 'pca-2d.html')).href);
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as BrowserGlobals).featscope.colorBy()),
    'domain',
  );
  assert.equal(await page.inputValue('#fs-colorby'), 'domain');
  assert.equal(await page.textContent('#fs-legend-title'), 'domain · class');
  assert.deepEqual(await legendNames(page), [
    'source · Trouser',
    'source · Coat',
    'source · Bag',
    'target · Trouser',
    'target · Coat',
    'target · Bag',
  ]);

  // Show one domain at a time: its points take its colour (blue source, red target).
  const { records } = table('predictions.csv');
  for (const [name, bluish] of [
    ['source', true],
    ['target', false],
  ] as const) {
    await page.click('#fs-none');
    const buttons = page.locator('#fs-legend-list button');
    for (let g = 0; g < 6; g++) {
      if ((await buttons.nth(g).textContent())?.startsWith(name)) await buttons.nth(g).click();
    }
    await page.waitForFunction(
      (want) =>
        (globalThis as unknown as BrowserGlobals).document
          .getElementById('fs-shown')
          .textContent?.startsWith(want),
      '12 of 24',
    );
    const i = records.findIndex((x) => x.domain === name);
    const [r, , b] = await pixelAt(page, i);
    assert.ok(bluish ? b > r + 40 : r > b + 40, `${name} point ${i} pixel ${r},${b}`);
  }
  await page.click('#fs-all');

  // The control offers the other colourings and comes back to the domains.
  await page.selectOption('#fs-colorby', 'label');
  await page.waitForFunction(
    () =>
      (globalThis as unknown as BrowserGlobals).document.getElementById('fs-legend-title').textContent ===
      'true label',
  );
  const byLabel = await legendNames(page);
  assert.ok(
    ['Coat', 'Bag', 'Trouser'].every((c) => byLabel.includes(c)) && !byLabel.some((c) => c.includes(' · ')),
  );
  await page.selectOption('#fs-colorby', 'domain');
  await page.waitForFunction(
    () =>
      (globalThis as unknown as BrowserGlobals).document.getElementById('fs-legend-title').textContent ===
      'domain · class',
  );
  assert.equal(await page.locator('#fs-legend-list li').count(), 6);
  // The tooltip names the point's domain.
  await page.evaluate(() =>
    (globalThis as unknown as { featscope: { select(i: number): void } }).featscope.select(13),
  );
  await page.waitForSelector('#fs-details:not([hidden])');
  assert.match((await page.textContent('#fs-details-body')) ?? '', /domaintarget/);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('featscope plot re-draws a two-domain run with thumbnails from both domains', async () => {
  const r = await runCli(['plot', '--run', out, '--color-by', 'label']);
  assert.equal(r.code, 0, r.stderr);
  const page = readFileSync(join(out, 'pca-2d.html'), 'utf8');
  const data = pageDataOf(page);
  assert.equal(data.colorBy, 'label');
  assert.deepEqual(data.domains!.names, ['source', 'target']);
  assert.ok(data.thumbs!.every((t: string | null) => /^data:image\/(png|webp);base64,/.test(t ?? '')));
});
