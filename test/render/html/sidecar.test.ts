/**
 * Thumbnails in a folder next to the page (big maps): the page loads each one on hover with a
 * relative <img src> from disk, shows the hovered point's own image, and asks for nothing but files
 * of its own folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { writeFolderAtomic } from '../../../src/io/atomic.js';
import { renderInteractivePage, thumbnailFiles } from '../../../src/render/index.js';
import { pageDataOf } from '../../helpers/page-data.js';
import { chromiumForTests, networkRequests, recordPage } from '../browser.js';
import { gridPoints, openPage, positionOf, waitForText } from './page-fixture.js';

const browser = chromiumForTests();

/** Point i's colour: distinct for every point of the test. */
const colourOf = (i: number): [number, number, number] => [
  (i * 37) % 256,
  (i * 91 + 40) % 256,
  (i * 13 + 200) % 256,
];

async function pngUri([r, g, b]: [number, number, number]): Promise<string> {
  const buf = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return `data:image/png;base64,${buf.toString('base64')}`;
}

/**
 * RGB of the middle of the tooltip's image once it has decoded (a screenshot of it: a canvas cannot
 * read back an image from file://).
 */
async function tooltipImageColour(page: Page): Promise<[number, number, number]> {
  await page.waitForFunction(() => {
    const img = (
      globalThis as unknown as {
        document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null };
      }
    ).document.querySelector('#fs-tooltip img');
    return !!img && img.complete && img.naturalWidth > 0;
  });
  const shot = await page.locator('#fs-tooltip img').screenshot();
  const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const o = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 3;
  return [data[o], data[o + 1], data[o + 2]];
}

for (const dims of [2, 3] as const) {
  test(`${dims}D page with a thumbnail folder: hover loads the point's own image from disk, no other requests`, async () => {
    const { points, embedding } = await gridPoints(12, dims, ['a', 'b', 'c']);
    points.thumbnails = await Promise.all(Array.from({ length: points.n }, (_, i) => pngUri(colourOf(i))));
    points.thumbnails[5] = null;
    const dir = mkdtempSync(join(tmpdir(), 'featscope-sidecar-'));
    await writeFolderAtomic(join(dir, 'thumbnails'), thumbnailFiles(points.thumbnails));
    const html = renderInteractivePage(points, embedding, {
      colorBy: 'label',
      title: 'sidecar',
      thumbnails: { folder: 'thumbnails' },
    });
    const file = join(dir, 'map.html');
    writeFileSync(file, html);
    // The page carries no image bytes; the folder holds one file per thumbnail, a thousand per subfolder.
    assert.ok(!html.includes('data:image/png'));
    assert.equal(pageDataOf(html).thumbMode, 'folder');
    assert.deepEqual(readdirSync(join(dir, 'thumbnails')), ['0']);
    assert.equal(readdirSync(join(dir, 'thumbnails', '0')).length, points.n - 1);
    assert.ok(!existsSync(join(dir, 'thumbnails', '0', '5.png')));

    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const log = recordPage(page);
    await openPage(page, pathToFileURL(file).href);
    for (const i of [0, 77, 143]) {
      const [x, y] = await positionOf(page, i);
      await page.mouse.move(x, y);
      await waitForText(page, '#fs-tooltip .fs-path', points.paths[i]);
      assert.equal(await page.getAttribute('#fs-tooltip img', 'src'), `thumbnails/0/${i}.png`);
      const got = await tooltipImageColour(page);
      const want = colourOf(i);
      assert.ok(
        got.every((v, c) => Math.abs(v - want[c]) <= 2),
        `point ${i}'s own image: ${got} vs ${want}`,
      );
    }
    const [x5, y5] = await positionOf(page, 5);
    await page.mouse.move(x5, y5);
    await waitForText(page, '#fs-tooltip .fs-path', points.paths[5]);
    assert.equal(await page.textContent('#fs-tooltip .fs-nothumb'), 'no thumbnail');

    assert.deepEqual(log.errors, []);
    assert.deepEqual(networkRequests(log), []);
    const base = pathToFileURL(dir).href;
    const thumbRequests = log.requests.filter((u) => u.startsWith(`${base}/thumbnails/`));
    assert.ok(thumbRequests.length >= 3, `thumbnails were read from disk: ${log.requests.join(', ')}`);
    for (const u of log.requests) {
      assert.ok(u.startsWith(`${base}/`) || u.startsWith('data:'), `only the page's own folder: ${u}`);
    }
    await page.close();
  });
}
