import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PointSet } from '../../../src/render/types.js';
import { chromiumForTests, networkRequests, recordPage } from '../browser.js';
import {
  type ExploreGlobals,
  exploreApi,
  gridPoints,
  openPage,
  positionOf,
  waitForPixel,
  waitForText,
  waitUntil,
  writePage,
} from './page-fixture.js';

// The explore tools of the interactive page: box and lasso selection, the selection list and its CSV
// export, colour by confidence / metadata / set with a colour bar, and search.

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat'];
const SIDE = 12;
const browser = chromiumForTests();

/**
 * Screen position (CSS px) of map point (x, y): the 2D view is a uniform scale with y flipped, so two
 * grid points (0 at (0, 0) and SIDE + 1 at (1, 1)) fix it.
 */
async function toScreen(page: Page): Promise<(x: number, y: number) => [number, number]> {
  const [x0, y0] = await positionOf(page, 0);
  const [x1, y1] = await positionOf(page, SIDE + 1);
  return (x, y) => [x0 + x * (x1 - x0), y0 + y * (y1 - y0)];
}

/** Drags along the given screen points with the mouse, holding `modifier` when given. */
async function drag(page: Page, pts: [number, number][], modifier?: 'Shift' | 'Alt'): Promise<void> {
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(pts[0][0], pts[0][1]);
  await page.mouse.down();
  for (const [x, y] of pts.slice(1)) await page.mouse.move(x, y, { steps: 4 });
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}

/** Grid points (column x, row y) for which `inside(x, y)` holds, in index order. */
function expected(inside: (x: number, y: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < SIDE * SIDE; i++) if (inside(i % SIDE, Math.floor(i / SIDE))) out.push(i);
  return out;
}

async function waitForSelection(page: Page, want: number[]): Promise<void> {
  let got: number[] = [];
  await waitUntil(async () => {
    got = await exploreApi(page).selection();
    return got.join() === want.join();
  }, `the selection is ${want} (it is ${got})`).catch(() => assert.deepEqual(got, want));
  await waitForText(page, '#fs-sel-title', `${want.length} selected`);
}

/** Even-odd point-in-polygon in map coordinates, written independently of the page's. */
function inside(poly: [number, number][], x: number, y: number): boolean {
  let c = false;
  for (let a = 0, b = poly.length - 1; a < poly.length; b = a++) {
    const [xa, ya] = poly[a];
    const [xb, yb] = poly[b];
    if (ya > y !== yb > y && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) c = !c;
  }
  return c;
}

test('2D: box and lasso select the points inside; shift adds, alt removes; the list and the CSV export hold them', async () => {
  const { points, embedding } = await gridPoints(SIDE, 2, CLASSES);
  const { url } = writePage(points, embedding);
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  const log = recordPage(page);
  await openPage(page, url);
  await page.click('#fs-tools button[data-tool="box"]');

  // Box from map (1.5, 2.5) to (4.5, 6.5): columns 2-4, rows 3-6.
  let at = await toScreen(page);
  await drag(page, [at(1.5, 2.5), at(3, 4), at(4.5, 6.5)]);
  const box = expected((x, y) => x >= 2 && x <= 4 && y >= 3 && y <= 6);
  await waitForSelection(page, box);
  await page.waitForSelector('#fs-selection:not([hidden])');
  assert.equal(await page.locator('#fs-sel-list li').count(), box.length);
  const firstRow = (await page.textContent('#fs-sel-list li')) ?? '';
  assert.ok(firstRow.includes(points.paths[box[0]]));
  assert.ok(firstRow.includes(CLASSES[points.labelIds[box[0]]]));

  // Shift + lasso around a triangle adds its points; the panel resized the plot, so map again.
  at = await toScreen(page);
  const tri: [number, number][] = [
    [6.5, 0.5],
    [10.7, 0.5],
    [8.6, 5.3],
  ];
  await page.click('#fs-tools button[data-tool="lasso"]');
  await drag(
    page,
    [...tri, tri[0]].map(([x, y]) => at(x, y)),
    'Shift',
  );
  const lasso = expected((x, y) => inside(tri, x, y));
  assert.ok(lasso.length >= 6);
  const union = [...new Set([...box, ...lasso])].sort((a, b) => a - b);
  await waitForSelection(page, union);

  // Alt + box removes row 3 of the first box.
  at = await toScreen(page);
  await page.click('#fs-tools button[data-tool="box"]');
  await drag(page, [at(1.5, 2.5), at(4.5, 3.5)], 'Alt');
  const left = union.filter((i) => !(Math.floor(i / SIDE) === 3 && i % SIDE >= 2 && i % SIDE <= 4));
  await waitForSelection(page, left);

  // Export: a real download of a Blob, read back from disk.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#fs-export')]);
  assert.equal(download.suggestedFilename(), 'tsne-2d-selection.csv');
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], 'index,path,label,prediction,confidence,x,y');
  assert.equal(lines.length, left.length + 1);
  for (const [r, i] of left.entries()) {
    const f = lines[r + 1].split(',');
    assert.deepEqual(f.slice(0, 4), [
      String(i),
      points.paths[i],
      CLASSES[points.labelIds[i]],
      CLASSES[points.topIds[i * points.k]],
    ]);
    // Confidence and coordinates as the page holds them: within its rounding of the true values.
    const near = (got: string, want: number, tol: number) =>
      assert.ok(Math.abs(Number(got) - want) <= tol, `row ${i}: ${got} vs ${want}`);
    near(f[4], points.topConf[i * points.k], 1e-3);
    near(f[5], i % SIDE, 1e-3);
    near(f[6], Math.floor(i / SIDE), 1e-3);
  }

  // Clear empties the selection and hides the panel.
  await page.click('#fs-sel-clear');
  await page.waitForSelector('#fs-selection', { state: 'hidden' });
  assert.deepEqual(await exploreApi(page).selection(), []);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});

test('3D: box selection takes the points inside the box on the current projection', async () => {
  const { points, embedding } = await gridPoints(SIDE, 3, CLASSES);
  const { url } = writePage(points, embedding);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, url);
  await page.click('#fs-tools button[data-tool="box"]');
  const screen = await page.evaluate(
    (n) =>
      Array.from({ length: n }, (_, i) =>
        (globalThis as unknown as ExploreGlobals).featscope.screenPosition(i),
      ),
    points.n,
  );
  const xs = screen.map((p) => p[0]).sort((a, b) => a - b);
  const ys = screen.map((p) => p[1]).sort((a, b) => a - b);
  // A box over the middle of the cloud, its edges halfway between neighbouring points on screen.
  const mid = (v: number[], q: number) => (v[Math.floor(q * v.length)] + v[Math.floor(q * v.length) + 1]) / 2;
  const [xa, xb, ya, yb] = [mid(xs, 0.3), mid(xs, 0.7), mid(ys, 0.25), mid(ys, 0.75)];
  await drag(page, [
    [xa, ya],
    [xb, yb],
  ]);
  const want = screen.flatMap(([x, y], i) => (x >= xa && x <= xb && y >= ya && y <= yb ? [i] : []));
  assert.ok(want.length > 10 && want.length < points.n);
  await waitForSelection(page, want);
  assert.deepEqual(log.errors, []);
  await page.close();
});

/** Gives every point a number column (its grid column, missing for 3 points) and a category column. */
function withMetadata(points: PointSet): void {
  const values = Float64Array.from({ length: points.n }, (_, i) => (i < 3 ? Number.NaN : i % SIDE));
  const site = Array.from({ length: points.n }, (_, i) => (i % 3 === 0 ? 'Oslo' : i % 3 === 1 ? 'Lima' : ''));
  points.metadata = {
    columns: [
      { name: 'column', kind: 'number', values },
      { name: 'site', kind: 'category', values: site },
    ],
  };
}

/** The pixel a point of colour hex drawn at alpha a over white gives. */
function blend(hex: string, a: number): number[] {
  return [1, 3, 5].map((o) => Number.parseInt(hex.slice(o, o + 2), 16) * a + 255 * (1 - a));
}

test('colour by a continuous metadata column: viridis from low to high, a colour bar with the range, "no value" grey', async () => {
  const { points, embedding } = await gridPoints(SIDE, 2, CLASSES);
  withMetadata(points);
  const { url } = writePage(points, embedding);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, url);
  const low = SIDE * 2; // column 0
  const high = SIDE * 2 + 11; // column 11
  const before = await exploreApi(page).colorOf(low);
  await page.selectOption('#fs-colorby', 'metadata:column');
  await page.waitForSelector('#fs-colorbar');
  await waitForText(page, '#fs-legend-title', 'column');
  assert.deepEqual(await page.locator('.fs-tick').allTextContents(), ['11', '5.5', '0']);
  await waitForText(page, '#fs-legend-list', /no value3/);
  // Low values are viridis' dark purple, high values its yellow; lightness rises with the value.
  const cLow = await exploreApi(page).colorOf(low);
  const cHigh = await exploreApi(page).colorOf(high);
  assert.notEqual(cLow, before);
  const rgb = (h: string) => [1, 3, 5].map((o) => Number.parseInt(h.slice(o, o + 2), 16));
  const [lr, lg, lb] = rgb(cLow);
  const [hr, hg, hb] = rgb(cHigh);
  assert.ok(lb > lg && lr > lg && lr < 90, `low ${cLow}`);
  assert.ok(hr > 200 && hg > 200 && hb < 80, `high ${cHigh}`);
  let last = -1;
  for (let x = 0; x < SIDE; x++) {
    const [r, g, b] = rgb(await exploreApi(page).colorOf(SIDE * 5 + x));
    const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    assert.ok(luma > last, `column ${x}: lightness ${luma} after ${last}`);
    last = luma;
  }
  assert.equal(await exploreApi(page).colorOf(0), '#c8c8c8');
  // The drawing shows those colours (points drawn at 0.9 opacity over white).
  for (const [i, c] of [
    [low, cLow],
    [high, cHigh],
  ] as const) {
    const want = blend(c, 0.9);
    await waitForPixel(page, i, (p) => p.every((v, j) => Math.abs(v - want[j]) <= 12), `about ${want}`);
  }
  // A text column is categorical: one legend entry per value, and "no value".
  await page.selectOption('#fs-colorby', 'metadata:site');
  await waitForText(page, '#fs-legend-list', /Lima48Oslo48no value48/);
  assert.equal(await page.locator('#fs-colorbar').count(), 0);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});

test('colour by confidence (0-1 colour bar) and by set; the page can open coloured by either', async () => {
  const { points, embedding } = await gridPoints(SIDE, 2, CLASSES);
  points.sets = {
    names: ['reference', 'new'],
    ids: Int32Array.from({ length: points.n }, (_, i) => (i < 100 ? 0 : 1)),
  };
  const { url } = writePage(points, embedding, 'confidence' as never);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  await openPage(page, url);
  await page.waitForSelector('#fs-colorbar');
  assert.equal(await page.inputValue('#fs-colorby'), 'confidence');
  assert.deepEqual(await page.locator('.fs-tick').allTextContents(), ['1', '0.5', '0']);
  const conf = (i: number) => points.topConf[i * points.k];
  const order = Array.from({ length: points.n }, (_, i) => i).sort((a, b) => conf(a) - conf(b));
  const lo = await exploreApi(page).colorOf(order[0]);
  const hi = await exploreApi(page).colorOf(order[order.length - 1]);
  assert.ok(conf(order[order.length - 1]) - conf(order[0]) > 0.3);
  assert.notEqual(lo, hi);

  await page.selectOption('#fs-colorby', 'set');
  await waitForText(page, '#fs-legend-list', /reference100new44/);
  assert.equal(await exploreApi(page).colorOf(5), '#a3a3a3');
  assert.equal(await exploreApi(page).colorOf(120), '#e8590c');
  const want = blend('#e8590c', 0.9);
  await waitForPixel(page, 120, (p) => p.every((v, j) => Math.abs(v - want[j]) <= 12), `about ${want}`);
  await page.close();
});

test('search by path or class name highlights and counts the matches, which can become the selection', async () => {
  const { points, embedding } = await gridPoints(SIDE, 2, CLASSES);
  const { url } = writePage(points, embedding);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, url);
  const byPath = points.paths.flatMap((p, i) => (p.includes('img/1') ? [i] : []));
  await page.fill('#fs-search', 'img/1');
  await waitForText(page, '#fs-search-count', `${byPath.length} matches`);
  // Matches are drawn in full, the rest faded.
  const hit = byPath[0];
  const miss = points.paths.findIndex((p) => !p.includes('img/1'));
  await waitForPixel(page, miss, (p) => p.every((v) => v > 160), 'a faded non-match');
  await waitForPixel(page, hit, (p) => p.some((v) => v < 160), 'a strong match');

  const trousers = points.paths.flatMap((_, i) => (points.labelIds[i] === 1 ? [i] : []));
  await page.fill('#fs-search', 'TROUSER');
  await waitForText(page, '#fs-search-count', `${trousers.length} matches`);
  await page.click('#fs-search-select');
  await waitForSelection(page, trousers);
  await page.fill('#fs-search', 'no such thing');
  await waitForText(page, '#fs-search-count', '0 matches');
  await page.fill('#fs-search', '');
  await waitUntil(async () => (await page.textContent('#fs-search-count')) === '', 'the count is cleared');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});
