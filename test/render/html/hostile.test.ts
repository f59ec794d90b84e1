import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumForTests, networkRequests, recordPage } from '../browser.js';
import {
  type BrowserGlobals,
  gridPoints,
  openPage,
  positionOf,
  waitForText,
  writePage,
} from './page-fixture.js';

// Each name would set window.__pwned if it were ever parsed as markup or script.
const HOSTILE_CLASSES = [
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=2</script>',
  '"><svg onload=window.__pwned=3>',
  'quote \' and " , comma',
  '猫 кошка \u2028 ünïcødé',
];
const HOSTILE_PATHS = [
  '<img src=x onerror="window.__pwned=4">/a.png',
  '</script><script>window.__pwned=5</script>.png',
  'it\'s, "fine"/<b>bold</b>.jpg',
];

const browser = chromiumForTests();

test('hostile class names, file names, thumbnails and title run nothing and display intact', async () => {
  const { points, embedding } = await gridPoints(6, 2, HOSTILE_CLASSES, (i) => HOSTILE_PATHS[i % 3] + i);
  // Thumbnails that are not image data URIs must never become image sources or script.
  points.thumbnails![0] = 'javascript:window.__pwned=6';
  points.thumbnails![1] = 'x" onerror="window.__pwned=7';
  // Metadata column names and values reach the colour-by menu, the legend and the CSV export.
  points.metadata = {
    columns: [
      {
        name: HOSTILE_CLASSES[0],
        kind: 'category',
        values: points.paths.map((_, i) => HOSTILE_CLASSES[i % 3]),
      },
      { name: HOSTILE_CLASSES[2], kind: 'number', values: Float64Array.from(points.paths, (_, i) => i) },
    ],
  };
  const title = '<script>window.__pwned=8</script> map';
  const { url, html } = writePage(points, embedding, 'label', title);
  assert.doesNotMatch(html, /<img src=x|<svg onload|<\/script><script>window/);

  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const log = recordPage(page);
  await openPage(page, url);
  for (const i of [0, 1, 2, 7]) {
    const [x, y] = await positionOf(page, i);
    await page.mouse.move(x, y);
    // The tooltip may still show the previous point: wait for this one's.
    await page.waitForSelector('#fs-tooltip:not([hidden])');
    await waitForText(page, '#fs-tooltip .fs-path', points.paths[i]);
    if (i < 2) assert.equal(await page.locator('#fs-tooltip img').count(), 0);
    await page.mouse.click(x, y);
    await page.waitForSelector('#fs-details:not([hidden])');
  }
  const legend = await page.locator('#fs-legend-list .fs-name').allTextContents();
  assert.deepEqual(legend, HOSTILE_CLASSES);
  assert.equal(await page.textContent('#fs-title'), title);
  assert.equal(await page.title(), title);
  await page.selectOption('#fs-colorby', 'prediction');
  await waitForText(page, '#fs-legend-title', 'predicted label');
  assert.deepEqual(await page.locator('#fs-legend-list .fs-name').allTextContents(), HOSTILE_CLASSES);
  await page.selectOption('#fs-colorby', `metadata:${HOSTILE_CLASSES[0]}`);
  await waitForText(page, '#fs-legend-title', HOSTILE_CLASSES[0]);
  assert.deepEqual(
    await page.locator('#fs-legend-list .fs-name').allTextContents(),
    [...HOSTILE_CLASSES.slice(0, 3)].sort(
      new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare,
    ),
  );
  await page.selectOption('#fs-colorby', `metadata:${HOSTILE_CLASSES[2]}`);
  await waitForText(page, '#fs-legend-title', HOSTILE_CLASSES[2]);
  assert.equal(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned), undefined);
  // The page's own selection overlay is its only SVG.
  assert.equal(await page.locator('body img[src="x"], body svg:not(#fs-lasso)').count(), 0);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(networkRequests(log), []);
  await page.close();
});
