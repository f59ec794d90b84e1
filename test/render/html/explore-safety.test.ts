import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumForTests, networkRequests, recordPage } from '../browser.js';
import {
  exploreApi,
  gridPoints,
  openPage,
  waitForPixel,
  waitForText,
  waitUntil,
  writePage,
} from './page-fixture.js';

// The selection's CSV export is safe to open in a spreadsheet (no formula injection), and a search
// does not hide the selection: both stay emphasised in the drawing.

const SIDE = 12;
const browser = chromiumForTests();

async function waitForSelection(page: Page, want: number[]): Promise<void> {
  await waitUntil(
    async () => (await exploreApi(page).selection()).join() === want.join(),
    `the selection is ${want}`,
  );
}

/** RFC 4180 fields of one CSV line (quoted fields with doubled quotes), written independently of the page's. */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      for (i++; ; i++) {
        if (line[i] === '"' && line[i + 1] === '"') {
          s += '"';
          i++;
        } else if (line[i] === '"') break;
        else s += line[i];
      }
      out.push(s);
      i += 2; // closing quote and comma
    } else {
      const end = line.indexOf(',', i) < 0 ? line.length : line.indexOf(',', i);
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

test('the CSV export puts an apostrophe before text that a spreadsheet would run as a formula, and leaves numbers alone', async () => {
  const hostile = ['=HYPERLINK("http://x.test","y")', '+1.png', '-2.png', '@SUM(A1).png', '\tfive.png'];
  const classes = ['=cmd', 'plain', '@at', '+plus', '-minus'];
  const { points, embedding } = await gridPoints(SIDE, 2, classes, (i) => hostile[i] ?? `img/${i}.png`);
  points.metadata = {
    columns: [
      { name: '=evil', kind: 'category', values: points.paths.map((_, i) => (i % 2 ? 'ok' : '=1+2')) },
      { name: 'score', kind: 'number', values: Float64Array.from({ length: points.n }, (_, i) => -i - 0.5) },
    ],
  };
  const { url } = writePage(points, embedding);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, url);
  const chosen = [0, 1, 2, 3, 4, 5, 6];
  await exploreApi(page).select(chosen);
  await waitForSelection(page, chosen);
  const lines = (await exploreApi(page).csv()).trimEnd().split('\n');
  const guard = (s: string) => ('=+-@\t\r'.includes(s[0]) ? `'${s}` : s);
  assert.deepEqual(fields(lines[0]), [
    'index',
    'path',
    'label',
    'prediction',
    'confidence',
    "'=evil",
    'score',
    'x',
    'y',
  ]);
  assert.equal(lines.length, chosen.length + 1);
  for (const [r, i] of chosen.entries()) {
    const f = fields(lines[r + 1]);
    assert.equal(f.length, 9, lines[r + 1]);
    assert.equal(f[1], guard(points.paths[i]));
    assert.equal(f[2], guard(classes[points.labelIds[i]]));
    assert.equal(f[3], guard(classes[points.topIds[i * points.k]]));
    assert.equal(f[5], i % 2 ? 'ok' : "'=1+2");
    // Negative numbers are numbers: no apostrophe.
    assert.equal(f[6], String(-i - 0.5));
    assert.ok(Math.abs(Number(f[7]) - (i % SIDE)) <= 1e-3, f[7]);
  }
  // The cases the guard exists for are really in the file.
  assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""http://x.test"",""y"")"`)));
  assert.ok(lines.some((l) => l.includes(`,'\tfive.png,`)));
  assert.ok(lines.some((l) => l.includes(",'-minus,")));
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});

/** The pixel a point of colour hex drawn at alpha a over white gives. */
function blend(hex: string, a: number): number[] {
  return [1, 3, 5].map((o) => Number.parseInt(hex.slice(o, o + 2), 16) * a + 255 * (1 - a));
}

test('a search does not hide the selection: selected points and matches are both drawn in full, the rest faint', async () => {
  const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat'];
  const { points, embedding } = await gridPoints(SIDE, 2, classes);
  const { url } = writePage(points, embedding);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, url);
  // Selected: column 0 (class T-shirt/top); matches of "trouser": columns 1, 6 and 11; neither: column 3.
  const selected = [0, SIDE, 2 * SIDE, 3 * SIDE];
  const [sel, match, neither] = [2 * SIDE, 2 * SIDE + 1, 2 * SIDE + 3];
  const full = async (i: number, what: string) => {
    const want = blend(await exploreApi(page).colorOf(i), 1);
    await waitForPixel(
      page,
      i,
      (p) => p.every((v, j) => Math.abs(v - want[j]) <= 16),
      `${what}: about ${want}`,
    );
  };
  const faint = async (i: number, what: string) => {
    const want = blend(await exploreApi(page).colorOf(i), 0.18);
    await waitForPixel(
      page,
      i,
      (p) => p.every((v, j) => Math.abs(v - want[j]) <= 16),
      `${what}: about ${want}`,
    );
  };
  await exploreApi(page).select(selected);
  await waitForText(page, '#fs-sel-title', '4 selected');
  await full(sel, 'selected');
  await faint(match, 'not selected');

  await page.fill('#fs-search', 'trouser');
  await waitForText(page, '#fs-search-count', `${3 * SIDE} matches`);
  await full(match, 'a match');
  await full(sel, 'selected, during a search');
  await faint(neither, 'neither');

  // The search cleared: the selection alone again.
  await page.fill('#fs-search', '');
  await waitForText(page, '#fs-search-count', '');
  await faint(match, 'a match after the search is cleared');
  await full(sel, 'selected after the search is cleared');
  assert.deepEqual(await exploreApi(page).selection(), selected);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});
