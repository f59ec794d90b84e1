import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { renderFigureSvg } from '../../../src/render/index.js';
import { pageDataOf } from '../../helpers/page-data.js';
import { chromiumForTests, networkRequests, recordPage } from '../browser.js';
import { syntheticPoints } from '../synthetic.js';
import {
  type BrowserGlobals,
  gridPoints,
  nextFrame,
  openPage,
  pixelAt,
  positionOf,
  waitForCount,
  waitForPixel,
  waitForPixelEqual,
  waitForText,
  waitUntil,
  writePage,
} from './page-fixture.js';

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat'];
const browser = chromiumForTests();

async function newPage(): Promise<Page> {
  return browser.newPage({ viewport: { width: 1100, height: 700 } });
}

for (const dims of [2, 3] as const) {
  test(`${dims}D page: loads from file:// with no errors or requests, holds N points, hover shows the thumbnail`, async () => {
    const { points, embedding } = await gridPoints(12, dims, CLASSES);
    const { url, html } = writePage(points, embedding);
    // Other tools can read the data back from the HTML alone.
    const data = pageDataOf(html);
    assert.equal(data.n, 144);
    assert.equal(data.version, 2);
    assert.deepEqual(data.binary.coords, { type: 'uint16', length: 144 * dims });
    assert.equal(data.paths.length, 144);
    // Coordinates come back within 1/65535 of the map's extent; labels exactly.
    data.coords.forEach((v, j) =>
      assert.ok(Math.abs(v - embedding.coords[j]) <= 11 / 65535 + 1e-9, `coord ${j}`),
    );
    assert.deepEqual(data.labels, Array.from(points.labelIds));
    assert.deepEqual(data.thumbs, points.thumbnails);

    const page = await newPage();
    const log = recordPage(page);
    await openPage(page, url);
    assert.equal(
      await page.evaluate(
        () =>
          JSON.parse(
            (globalThis as unknown as BrowserGlobals).document.getElementById('featscope-data').textContent!,
          ).n,
      ),
      144,
    );
    await waitForText(page, '#fs-shown', /^144 of 144 points shown/);

    for (const i of [0, 77, 143]) {
      const [x, y] = await positionOf(page, i);
      await page.mouse.move(x, y);
      // The tooltip may still show the previous point: wait for this one's.
      await page.waitForSelector('#fs-tooltip:not([hidden])');
      await waitForText(page, '#fs-tooltip .fs-path', points.paths[i]);
      assert.equal(await page.getAttribute('#fs-tooltip img', 'src'), points.thumbnails![i]);
      // The image really decoded (a broken data URI would have naturalWidth 0).
      await page.waitForFunction(
        () =>
          ((globalThis as unknown as BrowserGlobals).document.querySelector('#fs-tooltip img')
            ?.naturalWidth ?? 0) > 0,
      );
      const tip = (await page.textContent('#fs-tooltip')) ?? '';
      assert.ok(tip.includes(CLASSES[points.labelIds[i]]));
      assert.ok(tip.includes(CLASSES[points.topIds[i * points.k]]));
    }
    assert.deepEqual(log.errors, []);
    assert.deepEqual(networkRequests(log), []);
    await page.close();
  });
}

test('2D page: colour-by, legend toggles, misclassified highlight, details panel and neighbours', async () => {
  const { points, embedding } = await gridPoints(10, 2, CLASSES);
  // Point 12 is misclassified, point 13 correct (both in class 2 and 3 columns).
  points.topIds[12 * points.k] = (points.labelIds[12] + 1) % CLASSES.length;
  points.topIds[13 * points.k] = points.labelIds[13];
  const { url } = writePage(points, embedding, 'label');
  const page = await newPage();
  const log = recordPage(page);
  await openPage(page, url);

  const before12 = await pixelAt(page, 12);
  await page.selectOption('#fs-colorby', 'correct');
  // Misclassified is red, correct green (CORRECTNESS_COLORS), blended with white by the alpha.
  const wrong12 = await waitForPixel(page, 12, (p) => p[0] > p[1] + 60, 'a red (misclassified) point');
  await waitForPixel(page, 13, (p) => p[1] > p[0] + 40, 'a green (correct) point');
  assert.notDeepEqual(wrong12, before12);
  await waitForCount(page, '#fs-legend-list li', 2);

  await page.selectOption('#fs-colorby', 'prediction');
  await waitForText(page, '#fs-legend-title', 'predicted label');
  await page.selectOption('#fs-colorby', 'label');
  await waitForCount(page, '#fs-legend-list li', CLASSES.length);

  // Legend click hides class 2 (column 2), and a second click shows it again.
  const p2 = await waitForPixel(page, 2, (p) => p.some((v) => v !== 255), 'a coloured point');
  await page.locator('#fs-legend-list button').nth(2).click();
  await waitForPixelEqual(page, 2, [255, 255, 255]);
  await waitForText(page, '#fs-shown', /^80 of 100/);
  await page.locator('#fs-legend-list button').nth(2).click();
  await waitForPixelEqual(page, 2, p2);
  // Shift-click shows only that class.
  await page
    .locator('#fs-legend-list button')
    .nth(1)
    .click({ modifiers: ['Shift'] });
  await waitForText(page, '#fs-shown', /^20 of 100/);
  await waitForPixelEqual(page, 2, [255, 255, 255]);
  await page.click('#fs-all');
  await waitForPixelEqual(page, 2, p2);

  // Highlighting misclassified points fades the correct ones.
  const plain13 = await pixelAt(page, 13);
  const plainSum = plain13[0] + plain13[1] + plain13[2];
  await page.check('#fs-highlight');
  await waitForPixel(page, 13, (p) => p[0] + p[1] + p[2] > plainSum + 60, 'the correct point faded');
  await page.uncheck('#fs-highlight');
  await waitForPixelEqual(page, 13, plain13);

  // Clicking a point opens the panel with its top-k and its feature-space neighbours.
  const [x, y] = await positionOf(page, 12);
  await page.mouse.click(x, y);
  await page.waitForSelector('#fs-details:not([hidden])');
  // The panel narrows the plot; let the resize and its redraw land before reading positions.
  await nextFrame(page);
  await waitForText(page, '#fs-details .fs-path', points.paths[12]);
  await waitForCount(page, '.fs-topk li', points.k);
  await waitForCount(page, '.fs-nb', 6);
  assert.equal(await page.getAttribute('#fs-details .fs-big', 'src'), points.thumbnails![12]);
  await page.locator('.fs-nb').nth(0).click();
  const firstNeighbour = points.neighbors!.indices[12 * 6];
  await waitForText(page, '#fs-details .fs-path', points.paths[firstNeighbour]);

  // Wheel zoom around the cursor moves other points away from it.
  const [ax, ay] = await positionOf(page, 0);
  const [bx, by] = await positionOf(page, 99);
  await page.mouse.move((ax + bx) / 2, (ay + by) / 2);
  await page.mouse.wheel(0, -600);
  const spread = Math.hypot(bx - ax, by - ay);
  await waitUntil(async () => {
    const [cx, cy] = await positionOf(page, 0);
    const [dx, dy] = await positionOf(page, 99);
    return Math.hypot(dx - cx, dy - cy) > 1.5 * spread;
  }, 'points 0 and 99 move apart after zooming in');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});

test('3D page: dragging orbits the camera', async () => {
  const { points, embedding } = await gridPoints(8, 3, CLASSES);
  const { url } = writePage(points, embedding, 'prediction');
  const page = await newPage();
  const log = recordPage(page);
  await openPage(page, url);
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as BrowserGlobals).featscope.colorBy()),
    'prediction',
  );
  const before = await positionOf(page, 0);
  await page.mouse.move(300, 300);
  await page.mouse.down();
  await page.mouse.move(380, 320, { steps: 5 });
  await page.mouse.up();
  await waitUntil(async () => {
    const afterPos = await positionOf(page, 0);
    return Math.hypot(afterPos[0] - before[0], afterPos[1] - before[1]) > 5;
  }, 'point 0 moves on screen after the drag');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a map without labels or predictions draws one "points" group and a tooltip without labels', async () => {
  const { points, embedding } = await gridPoints(6, 2, CLASSES);
  points.labelIds.fill(-1);
  points.k = 0;
  points.topIds = new Int32Array(0);
  points.topConf = new Float32Array(0);
  delete points.thumbnails;
  delete points.neighbors;
  const { url } = writePage(points, embedding, 'correct');
  const page = await newPage();
  const log = recordPage(page);
  await openPage(page, url);
  assert.deepEqual(await page.locator('#fs-legend-list .fs-name').allTextContents(), ['points']);
  assert.equal(await page.isDisabled('#fs-highlight'), true);
  assert.equal(await page.isDisabled('#fs-colorby option[value="correct"]'), true);
  const [x, y] = await positionOf(page, 7);
  await page.mouse.move(x, y);
  await page.waitForSelector('#fs-tooltip:not([hidden])');
  assert.equal(await page.textContent('#fs-tooltip .fs-nothumb'), 'no thumbnail');
  assert.match((await page.textContent('#fs-tooltip')) ?? '', /true labelunknown/);
  await page.mouse.click(x, y);
  await page.waitForSelector('#fs-details:not([hidden])');
  assert.equal(await page.locator('.fs-topk').count(), 0);
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('a 1,000-class model on a 100-class set: the legend lists the classes with points, in the figure colours', async () => {
  const { points, embedding } = await gridPoints(
    20,
    2,
    Array.from({ length: 1000 }, (_, i) => `class ${i}`),
  );
  const present = Array.from({ length: 100 }, (_, j) => 10 * j + 3);
  for (let i = 0; i < points.n; i++) {
    points.labelIds[i] = present[i % 100];
    points.topIds[i * points.k] = 10 * (i % 40) + 7;
  }
  const figure = renderFigureSvg(points, embedding);
  const figureColors = [...figure.matchAll(/class="legend-entry"><path fill="(#[0-9a-f]{6})"/g)].map(
    (m) => m[1],
  );
  const { url, html } = writePage(points, embedding, 'label');
  const data = pageDataOf(html);
  assert.deepEqual(data.styles.label.colors, figureColors);
  const page = await newPage();
  const log = recordPage(page);
  await openPage(page, url);
  const names = await page.locator('#fs-legend-list .fs-name').allTextContents();
  assert.deepEqual(
    names,
    present.map((id) => `class ${id}`),
  );
  // Point 0 (class 3) is drawn in the first legend colour, as in the static figure.
  const [r, g, b] = await pixelAt(page, 0);
  const want = [1, 3, 5].map((i) => Number.parseInt(figureColors[0].slice(i, i + 2), 16));
  assert.ok(
    Math.abs(r - want[0]) + Math.abs(g - want[1]) + Math.abs(b - want[2]) < 90,
    `pixel ${[r, g, b]} vs ${want}`,
  );
  await page.selectOption('#fs-colorby', 'prediction');
  await page.waitForSelector('#fs-legend-title:text("predicted label")');
  await waitForCount(page, '#fs-legend-list li', 40);
  assert.equal((await page.locator('#fs-legend-list .fs-name').allTextContents())[39], 'class 397');
  assert.deepEqual(log.errors, []);
  await page.close();
});

test('hover picks exactly the nearest point among 5,000 overlapping ones, and shows its own tooltip', async () => {
  const { points, embedding } = syntheticPoints({ n: 5000, classes: CLASSES, seed: 5 });
  const { url } = writePage(points, embedding, 'label');
  const page = await newPage();
  const log = recordPage(page);
  await openPage(page, url);
  for (let c = 0; c < 6; c++) {
    const j = (c * 977 + 31) % points.n;
    const [px, py] = await positionOf(page, j);
    const [x, y] = [px + 1.5, py - 1];
    await page.mouse.move(x, y);
    // The nearest point by brute force over all of them (CSS px relative to the canvas).
    const best = await page.evaluate(
      ([cx, cy]) => {
        const g = globalThis as unknown as BrowserGlobals & {
          featscope: { projectPoint(i: number): number[]; data: { n: number } };
        };
        const r = g.document.getElementById('fs-canvas').getBoundingClientRect() as {
          left: number;
          top: number;
        };
        let b = -1;
        let bd = Number.POSITIVE_INFINITY;
        for (let i = 0; i < g.featscope.data.n; i++) {
          const p = g.featscope.projectPoint(i);
          const d = (p[0] - (cx - r.left)) ** 2 + (p[1] - (cy - r.top)) ** 2;
          if (d < bd) {
            bd = d;
            b = i;
          }
        }
        return b;
      },
      [x, y],
    );
    await waitForText(page, '#fs-tooltip .fs-path', points.paths[best]);
  }
  assert.deepEqual(log.errors, []);
  await page.close();
});
