/**
 * Interactive page benchmark at 100k and 1M points: page size, load time, JS heap, frame time and
 * hover in headless Chromium, with thumbnails in a folder (and inline where that still makes sense),
 * plus a check that hovering shows the right image. Optional peer: a plotly.js scattergl page with
 * the same points (the library the Python recipe uses), up to 100k points.
 *
 *   flock /tmp/featscope-bench.lock npx tsx bench/pages/run.ts [--sizes 100000,1000000]
 *     [--inline-max 100000] [--plotly] [--dims 2,3] [--keep DIR]
 *
 * Data: synthetic class blobs as the map, an 85%-accurate top-3, 8 neighbours per point, and a
 * distinct thumbnail per point of a real thumbnail's size (bench/pages/thumbs.ts). Chromium flags are
 * the test suite's (no GPU: WebGL runs on SwiftShader, on the CPU), so the numbers are an upper
 * bound for a desktop browser with a GPU.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { writeFolderAtomic } from '../../src/io/atomic.js';
import { renderInteractivePage, thumbnailFiles } from '../../src/render/index.js';
import type { Embedding, PointSet } from '../../src/render/types.js';
import { launchChromium } from '../../test/render/browser.js';
import { syntheticPoints } from '../../test/render/synthetic.js';
import { formatTable } from '../lib/table.js';
import { colourOf, thumbnailUri } from './thumbs.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const SIZES = arg('--sizes', '100000,1000000').split(',').map(Number);
const DIMS = arg('--dims', '2,3').split(',').map(Number) as (2 | 3)[];
const INLINE_MAX = Number(arg('--inline-max', '100000'));
const WITH_PLOTLY = args.includes('--plotly');
/** Work in this folder and leave it (delete it outside the benchmark lock: a million files). */
const KEEP = args.includes('--keep') ? arg('--keep', '') : null;
const HOVER_CHECKS = 5;

interface Row {
  n: number;
  page: string;
  htmlMb: number;
  folderMb: number;
  /** Writing the thumbnail folder (once per N, shared by the pages). */
  folderS: number;
  /** renderInteractivePage and writing the HTML. */
  buildS: number;
  loadS: number;
  heapMb: number;
  frameMs: number;
  hoverAfterViewMs: number;
  hoverMs: number;
  mouseMs: number;
  hoverRight: string;
  /** 1-minute load average when the row was measured. */
  load: number;
}

/** In the page: frame time (draw + GPU finish) over zoom steps, and hover handler times. */
const IN_PAGE_TIMING = `(async () => {
  const fs = window.featscope, canvas = document.getElementById('fs-canvas'), n = fs.data.n;
  const med = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
  const raf2 = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const r = canvas.getBoundingClientRect();
  const frames = [], afterView = [], hover = [];
  for (let j = 0; j < 8; j++) {
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: j % 2 ? 120 : -120, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
    await raf2();
    frames.push(fs.timeFrame());
    // The first hover after a view change projects every point and rebuilds the lookup grid.
    const [x, y] = fs.screenPosition((j * 7919) % n);
    let t0 = performance.now();
    canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
    afterView.push(performance.now() - t0);
    const [x2, y2] = fs.screenPosition((j * 104729 + 13) % n);
    t0 = performance.now();
    canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: x2, clientY: y2, bubbles: true }));
    hover.push(performance.now() - t0);
    await raf2();
  }
  return { frame: med(frames), afterView: med(afterView), hover: med(hover) };
})()`;

/**
 * In the page: the point nearest to (x, y) on screen by brute force over all n points, and the
 * squared distance of point i, to check the hover lookup.
 */
const BRUTE_NEAREST = `(([x, y, i]) => {
  const fs = window.featscope, n = fs.data.n, r = document.getElementById('fs-canvas').getBoundingClientRect();
  x -= r.left; y -= r.top;
  let best = -1, bestD = Infinity;
  for (let j = 0; j < n; j++) {
    const p = fs.projectPoint(j), dx = p[0] - x, dy = p[1] - y, d = dx * dx + dy * dy;
    if (d < bestD) { bestD = d; best = j; }
  }
  const p = fs.projectPoint(i);
  return { best, bestD, d: (p[0] - x) ** 2 + (p[1] - y) ** 2 };
})`;

function indexOfPath(path: string): number {
  return Number(/img_(\d+)\.png$/.exec(path)![1]);
}

/** Hovers HOVER_CHECKS points with the real mouse; checks the tooltip is the nearest point's, with its own image. */
async function checkHover(
  page: Page,
  points: PointSet,
  dims: number,
  folder: boolean,
): Promise<{ ok: number; mouseMs: number }> {
  let ok = 0;
  const times: number[] = [];
  for (let c = 0; c < HOVER_CHECKS; c++) {
    const j = (c * 200003 + 17) % points.n;
    const [x, y] = (await page.evaluate(`window.featscope.screenPosition(${j})`)) as [number, number];
    // Hide the last tooltip so that the wait below sees this hover's.
    await page.evaluate(`document.getElementById('fs-tooltip').hidden = true`);
    const t0 = performance.now();
    await page.mouse.move(x, y);
    await page.waitForSelector('#fs-tooltip:not([hidden]) .fs-path');
    times.push(performance.now() - t0);
    const i = indexOfPath((await page.textContent('#fs-tooltip .fs-path'))!);
    const near = (await page.evaluate(`${BRUTE_NEAREST}([${x}, ${y}, ${i}])`)) as {
      best: number;
      bestD: number;
      d: number;
    };
    // 2D: the nearest point exactly; 3D: a point within 2 px of the nearest distance (the front one).
    const nearestOk = dims === 2 ? near.d <= near.bestD + 1e-9 : near.d <= Math.max(near.bestD, 4) + 1e-9;
    const src = await page.getAttribute('#fs-tooltip img', 'src');
    const srcOk = folder
      ? src === `thumbnails/${Math.floor(i / 1000)}/${i}.png`
      : src === points.thumbnails![i];
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
    const want = colourOf(i);
    const imageOk = [0, 1, 2].every((k) => Math.abs(data[o + k] - want[k]) <= 3);
    if (nearestOk && srcOk && imageOk) ok++;
    else
      console.warn(
        `hover check ${c}: point ${i} nearest ${nearestOk} (${JSON.stringify(near)}) src ${srcOk} (${src}) image ${imageOk}`,
      );
  }
  return { ok, mouseMs: median(times) };
}

async function measurePage(
  browser: Browser,
  file: string,
): Promise<{
  page: Page;
  loadS: number;
  heapMb: number;
  timing: { frame: number; afterView: number; hover: number };
}> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = performance.now();
  await page.goto(pathToFileURL(file).href, { timeout: 300_000 });
  await page.waitForFunction(
    () => (globalThis as unknown as { featscope?: { ready: boolean } }).featscope?.ready === true,
    null,
    { timeout: 300_000 },
  );
  const loadS = (performance.now() - t0) / 1000;
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  const heapMb = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN) / 1e6;
  const timing = (await page.evaluate(IN_PAGE_TIMING)) as { frame: number; afterView: number; hover: number };
  return { page, loadS, heapMb, timing };
}

function plotlyPage(paths: string[], coords: Float32Array, labels: Int32Array): string {
  const plotly = readFileSync(
    createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js'),
    'utf8',
  );
  const n = paths.length;
  const x = Array.from({ length: n }, (_, i) => Math.round(coords[2 * i] * 1000) / 1000);
  const y = Array.from({ length: n }, (_, i) => Math.round(coords[2 * i + 1] * 1000) / 1000);
  const data = JSON.stringify({ x, y, c: Array.from(labels), t: paths }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<div id="plot" style="width:1100px;height:700px"></div>
<script>${plotly}</script>
<script>var D=${data};
Plotly.newPlot('plot',[{type:'scattergl',mode:'markers',x:D.x,y:D.y,text:D.t,marker:{color:D.c,colorscale:'Rainbow',size:4,opacity:0.7},hovertemplate:'%{text}<extra></extra>'}],{margin:{l:0,r:0,t:0,b:0},hovermode:'closest'}).then(function(){window.__ready=performance.now();});</script></body></html>`;
}

async function main() {
  console.error(
    `load average before: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const browser = await launchChromium();
  const top = KEEP ?? mkdtempSync(join(tmpdir(), 'featscope-bench-pages-'));
  const rows: Row[] = [];
  try {
    for (const n of SIZES) {
      // Each N in its own folder, all removed at the end: deleting the last N's thumbnails right
      // before writing the next would time the file system's reuse of freed inodes (folder-write.ts).
      const dir = join(top, `n${n}`);
      mkdirSync(dir, { recursive: true });
      const { points, embedding } = syntheticPoints({ n, classes: 10, neighbors: 8, seed: 11 });
      let t = performance.now();
      points.thumbnails = Array.from({ length: n }, (_, i) => thumbnailUri(i));
      console.error(`N=${n}: thumbnails made in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      t = performance.now();
      await writeFolderAtomic(join(dir, 'thumbnails'), thumbnailFiles(points.thumbnails));
      const folderS = (performance.now() - t) / 1000;
      const folderMb = points.thumbnails.reduce((s, u) => s + ((u!.length - 22) * 3) / 4, 0) / 1e6;
      console.error(
        `N=${n}: thumbnail folder written in ${folderS.toFixed(1)} s (${folderMb.toFixed(0)} MB in ${n} files)`,
      );
      const modes: ('folder' | 'inline')[] = n <= INLINE_MAX ? ['folder', 'inline'] : ['folder'];
      for (const dims of DIMS) {
        const emb: Embedding =
          dims === 2 ? embedding : syntheticPoints({ n, classes: 10, dims: 3, seed: 11 }).embedding;
        for (const mode of modes) {
          if (mode === 'inline' && dims === 3) continue;
          const t0 = performance.now();
          const html = renderInteractivePage(points, emb, {
            colorBy: 'label',
            title: `bench ${n}`,
            thumbnails: mode === 'folder' ? { folder: 'thumbnails' } : 'inline',
          });
          const file = join(dir, `featscope-${n}-${dims}d-${mode}.html`);
          writeFileSync(file, html);
          const buildS = (performance.now() - t0) / 1000;
          const { page, loadS, heapMb, timing } = await measurePage(browser, file);
          const hover = await checkHover(page, points, dims, mode === 'folder');
          await page.close();
          rows.push({
            n,
            page: `featscope ${dims}D, thumbnails ${mode}`,
            htmlMb: html.length / 1e6,
            folderMb: mode === 'folder' ? folderMb : 0,
            folderS: mode === 'folder' ? folderS : Number.NaN,
            buildS,
            loadS,
            heapMb,
            frameMs: timing.frame,
            hoverAfterViewMs: timing.afterView,
            hoverMs: timing.hover,
            mouseMs: hover.mouseMs,
            hoverRight: `${hover.ok}/${HOVER_CHECKS}`,
            load: loadavg()[0],
          });
          report(rows.at(-1)!);
          rmSync(file);
        }
      }
      if (WITH_PLOTLY && n <= 100_000) {
        const html = plotlyPage(points.paths, embedding.coords, points.labelIds);
        const file = join(dir, `plotly-${n}.html`);
        writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
        const t1 = performance.now();
        await page.goto(pathToFileURL(file).href);
        await page.waitForFunction(() => (globalThis as unknown as { __ready?: number }).__ready, null, {
          timeout: 300_000,
        });
        const loadS = (performance.now() - t1) / 1000;
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        await cdp.send('HeapProfiler.collectGarbage');
        const metrics = (await cdp.send('Performance.getMetrics')).metrics;
        await page.close();
        const nan = Number.NaN;
        rows.push({
          n,
          page: 'plotly scattergl 2D (no thumbnails)',
          htmlMb: html.length / 1e6,
          folderMb: 0,
          folderS: nan,
          buildS: nan,
          loadS,
          heapMb: (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? nan) / 1e6,
          frameMs: nan,
          hoverAfterViewMs: nan,
          hoverMs: nan,
          mouseMs: nan,
          hoverRight: '-',
          load: loadavg()[0],
        });
        report(rows.at(-1)!);
      }
    }
  } finally {
    await browser.close();
    if (!KEEP) rmSync(top, { recursive: true, force: true });
  }
  console.log(
    `\n${formatTable(
      [
        'N',
        'page',
        'HTML MB',
        'folder MB',
        'folder write s',
        'page build s',
        'load s',
        'JS heap MB',
        'frame ms',
        'hover after view ms',
        'hover ms',
        'mouse-to-tooltip ms',
        'hover right',
        'load avg',
      ],
      rows.map((r) => [
        String(r.n),
        r.page,
        r.htmlMb.toFixed(1),
        r.folderMb ? r.folderMb.toFixed(0) : '-',
        fmt(r.folderS, 1),
        fmt(r.buildS, 1),
        fmt(r.loadS, 2),
        fmt(r.heapMb, 0),
        fmt(r.frameMs, 0),
        fmt(r.hoverAfterViewMs, 0),
        fmt(r.hoverMs, 2),
        fmt(r.mouseMs, 0),
        r.hoverRight,
        r.load.toFixed(1),
      ]),
    )}`,
  );
  console.log(`node peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  for (const n of SIZES) {
    const folder = rows.find((r) => r.n === n && r.page === 'featscope 2D, thumbnails folder');
    const inline = rows.find((r) => r.n === n && r.page === 'featscope 2D, thumbnails inline');
    if (folder && inline) {
      console.log(
        `N=${n}: inline / folder: HTML ${(inline.htmlMb / folder.htmlMb).toFixed(1)}x, load ${(inline.loadS / folder.loadS).toFixed(2)}x, heap ${(inline.heapMb / folder.heapMb).toFixed(2)}x`,
      );
    }
  }
  const small = rows.find((r) => r.n === SIZES[0] && r.page === 'featscope 2D, thumbnails folder');
  const big = rows.find((r) => r.n === SIZES.at(-1) && r.page === 'featscope 2D, thumbnails folder');
  if (small && big && small !== big) {
    const f = big.n / small.n;
    console.log(
      `2D folder pages, N=${big.n} / N=${small.n} (${f}x the points): HTML ${(big.htmlMb / small.htmlMb).toFixed(1)}x, load ${(big.loadS / small.loadS).toFixed(1)}x, heap ${(big.heapMb / small.heapMb).toFixed(1)}x, frame ${(big.frameMs / small.frameMs).toFixed(1)}x`,
    );
  }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function fmt(v: number, digits = 0): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}
function report(r: Row): void {
  console.error(
    `${r.page} N=${r.n}: HTML ${r.htmlMb.toFixed(1)} MB, load ${fmt(r.loadS, 2)} s, heap ${fmt(r.heapMb)} MB, frame ${fmt(r.frameMs)} ms, hover after view ${fmt(r.hoverAfterViewMs)} ms, hover ${fmt(r.hoverMs, 2)} ms, mouse ${fmt(r.mouseMs)} ms, right ${r.hoverRight}`,
  );
}

await main();
