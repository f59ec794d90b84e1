import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderInteractivePage } from '../../../src/render/index.js';
import type { ColorBy, Embedding, PointSet } from '../../../src/render/types.js';
import { syntheticPoints } from '../synthetic.js';
import { solidThumbnail } from '../thumbs-fixture.js';

/** The browser globals the tests touch inside `page.evaluate` (the tsconfig has no DOM lib). */
export interface BrowserGlobals {
  featscope: { ready: boolean; screenPosition(i: number): [number, number]; colorBy(): string };
  __pwned?: number;
  requestAnimationFrame(cb: () => void): number;
  document: {
    getElementById(id: string): BrowserCanvas & { textContent: string | null };
    querySelector(selector: string): { naturalWidth: number } | null;
    createElement(tag: 'canvas'): BrowserCanvas & { height: number };
  };
}
interface BrowserCanvas {
  width: number;
  getBoundingClientRect(): { left: number; top: number; width: number };
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    drawImage(...args: unknown[]): void;
  };
}

/** The explore API the page puts on `featscope` (src/render/html/client/search.ts, select.ts). */
export interface ExploreGlobals {
  featscope: {
    selection(): number[];
    setSelection(indices: number[], mode?: string): void;
    selectionCsv(): string;
    colorOf(i: number): string;
    screenPosition(i: number): [number, number];
  };
}

/** Calls into the page's explore API from the test (each call waits for the page to answer). */
export const exploreApi = (page: Page) => ({
  select: (ids: number[]) =>
    page.evaluate((j) => (globalThis as unknown as ExploreGlobals).featscope.setSelection(j), ids),
  selection: () => page.evaluate(() => (globalThis as unknown as ExploreGlobals).featscope.selection()),
  csv: () => page.evaluate(() => (globalThis as unknown as ExploreGlobals).featscope.selectionCsv()),
  colorOf: (i: number) =>
    page.evaluate((j) => (globalThis as unknown as ExploreGlobals).featscope.colorOf(j), i),
});

/** Resolves after the page has drawn its next frame. */
export function nextFrame(page: Page): Promise<unknown> {
  return page.evaluate(
    () =>
      new Promise((r) => {
        const g = globalThis as unknown as BrowserGlobals;
        g.requestAnimationFrame(() => g.requestAnimationFrame(() => r(null)));
      }),
  );
}

/**
 * Points on a regular grid (side x side, one unit apart) so every point sits alone on screen and
 * the mouse can be moved onto a known point. Classes are grid columns modulo the class count.
 */
export async function gridPoints(
  side: number,
  dims: 2 | 3,
  classes: string[],
  pathOf: (i: number) => string = (i) => `img/${i}.png`,
): Promise<{ points: PointSet; embedding: Embedding }> {
  const n = side * side;
  const { points } = syntheticPoints({ n, classes, k: Math.min(3, classes.length), neighbors: 6, seed: 3 });
  const coords = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    coords[i * dims] = i % side;
    coords[i * dims + 1] = Math.floor(i / side);
    if (dims === 3) coords[i * dims + 2] = ((i * 7) % 5) * 0.1;
    points.labelIds[i] = (i % side) % classes.length;
  }
  points.paths = Array.from({ length: n }, (_, i) => pathOf(i));
  const palette = await Promise.all(
    Array.from({ length: 12 }, (_, j) => solidThumbnail(20 * j, 255 - 20 * j, 90)),
  );
  points.thumbnails = Array.from({ length: n }, (_, i) => palette[i % 12]);
  return { points, embedding: { method: 'tsne', dims, coords } };
}

/** Writes the page into a fresh temporary folder and returns its file: URL. */
export function writePage(
  points: PointSet,
  embedding: Embedding,
  colorBy: ColorBy = 'label',
  title = 'test page',
): { url: string; html: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'featscope-page-'));
  const file = join(dir, `page-${embedding.dims}d.html`);
  const html = renderInteractivePage(points, embedding, { colorBy, title, featscopeVersion: 'test' });
  writeFileSync(file, html);
  return { url: pathToFileURL(file).href, html, file };
}

export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => (globalThis as unknown as Partial<BrowserGlobals>).featscope?.ready === true,
  );
}

/** Screen position (CSS px) of point i, from the page's own API. */
export function positionOf(page: Page, i: number): Promise<[number, number]> {
  return page.evaluate((j) => (globalThis as unknown as BrowserGlobals).featscope.screenPosition(j), i);
}

/** RGB of the canvas pixel under point i, after the next frame (the WebGL canvas copied into a 2D one). */
export async function pixelAt(page: Page, i: number): Promise<[number, number, number]> {
  await nextFrame(page);
  return page.evaluate((j) => {
    const g = globalThis as unknown as BrowserGlobals;
    const canvas = g.document.getElementById('fs-canvas');
    const r = canvas.getBoundingClientRect();
    const [x, y] = g.featscope.screenPosition(j);
    const s = canvas.width / r.width;
    const copy = g.document.createElement('canvas');
    copy.width = 1;
    copy.height = 1;
    const c = copy.getContext('2d');
    c.drawImage(canvas, Math.round((x - r.left) * s), Math.round((y - r.top) * s), 1, 1, 0, 0, 1, 1);
    const d = c.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, i);
}

/** How long the wait helpers below wait for the page to reach a state before failing. */
const WAIT_MS = 10_000;

/**
 * Waits until the pixel under point i satisfies `ok` (the page redraws on an animation frame after
 * an input, so a pixel read straight after the input may still show the old frame). Returns the pixel;
 * fails with the last pixel seen when the state never comes.
 */
export async function waitForPixel(
  page: Page,
  i: number,
  ok: (rgb: [number, number, number]) => boolean,
  what: string,
): Promise<[number, number, number]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rgb = await pixelAt(page, i);
    if (ok(rgb)) return rgb;
    if (Date.now() > deadline) throw new Error(`point ${i}: expected ${what}, pixel stayed ${rgb}`);
  }
}

/** Waits until the pixel under point i equals `rgb`. */
export function waitForPixelEqual(page: Page, i: number, rgb: readonly number[]): Promise<unknown> {
  return waitForPixel(page, i, (p) => p.every((v, c) => v === rgb[c]), `rgb ${rgb}`);
}

/** Waits until the text of `selector` matches `pattern` (set by the page's next redraw). */
export async function waitForText(page: Page, selector: string, pattern: RegExp | string): Promise<void> {
  await page.waitForFunction(
    ([sel, src, flags, exact]) => {
      const t = (
        globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
      ).document.querySelector(sel)?.textContent;
      if (t == null) return false;
      return exact === '1' ? t === src : new RegExp(src, flags).test(t);
    },
    typeof pattern === 'string'
      ? [selector, pattern, '', '1']
      : [selector, pattern.source, pattern.flags, '0'],
    { timeout: WAIT_MS },
  );
}

/** Waits until `selector` matches exactly `count` elements. */
export async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([sel, c]) =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll(sel as string).length === c,
    [selector, count] as const,
    { timeout: WAIT_MS },
  );
}

/** Polls `check` until it holds; fails naming `what` when it never does. */
export async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
