/**
 * Interactive page benchmark: page size and load time at N = 2k, 10k, 70k in headless Chromium,
 * plus hover and redraw latency, and the same for a plotly.js scattergl page with the same data
 * (the library the Python recipe uses) as the peer.
 *
 *   npx tsx bench/pages/run.ts [--sizes 2000,10000,70000] [--no-plotly]
 *
 * Data: Fashion-MNIST labels and 28x28 images (2,000 distinct WebP thumbnails at quality 70,
 * cycled, so the bytes per point are those of a real run), class blobs as the map, an 85%-accurate
 * synthetic top-3 and 8 neighbours per point. Chromium flags are the test suite's (software
 * rendering, no GPU), so the numbers are a lower bound for a desktop browser.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { renderInteractivePage } from '../../src/render/index.js';
import { launchChromium } from '../../test/render/browser.js';
import type { BrowserGlobals } from '../../test/render/html/page-fixture.js';
import { syntheticPoints } from '../../test/render/synthetic.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, fashionMnistAvailable } from '../lib/fashion-mnist.js';
import { readIdxFile } from '../lib/idx.js';
import { formatTable } from '../lib/table.js';

const args = process.argv.slice(2);
const sizesArg = args.indexOf('--sizes');
const SIZES = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [2000, 10000, 70000];
const WITH_PLOTLY = !args.includes('--no-plotly');
const UNIQUE_THUMBS = 2000;

async function thumbnails(): Promise<string[]> {
  if (!fashionMnistAvailable()) {
    console.warn(`(no Fashion-MNIST at ${FASHION_MNIST_DIR}: using noise thumbnails)`);
  }
  const images = fashionMnistAvailable()
    ? readIdxFile(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'))
    : null;
  const out: string[] = [];
  for (let i = 0; i < UNIQUE_THUMBS; i++) {
    const px = images
      ? images.data.subarray(i * 784, (i + 1) * 784)
      : Uint8Array.from({ length: 784 }, (_, j) => (j * 7919 + i * 104729) % 256);
    const buf = await sharp(Buffer.from(px), { raw: { width: 28, height: 28, channels: 1 } })
      .webp({ quality: 70 })
      .toBuffer();
    out.push(`data:image/webp;base64,${buf.toString('base64')}`);
  }
  return out;
}

/** Page position of plotly point i, from the axes' data-to-pixel maps. */
const PLOTLY_POINT_POSITION = `((i) => {
  const gd = document.getElementById('plot'), L = gd._fullLayout, t = gd.data[0];
  return [L.xaxis.d2p(t.x[i]) + L._size.l, L.yaxis.d2p(t.y[i]) + L._size.t];
})`;

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
window.__afterplot=0;
Plotly.newPlot('plot',[{type:'scattergl',mode:'markers',x:D.x,y:D.y,text:D.t,marker:{color:D.c,colorscale:'Rainbow',size:4,opacity:0.7},hovertemplate:'%{text}<extra></extra>'}],{margin:{l:0,r:0,t:0,b:0},hovermode:'closest'}).then(function(){
var el=document.getElementById('plot');window.__ready=performance.now();
el.on('plotly_hover',function(){window.__hovered=performance.now();});});</script></body></html>`;
}

interface Row {
  n: number;
  page: string;
  mb: number;
  bytesPerPoint: number;
  buildMs: number;
  loadMs: number;
  /** In-page pointermove handler (nearest-point lookup + tooltip), median ms. */
  hoverMs: number;
  /** One full redraw (pan/zoom/orbit frame), median ms. */
  redrawMs: number;
  /** Real mouse move to visible tooltip through Playwright, ms. */
  mouseMs: number;
}

/**
 * Runs in the page: median time of the pointermove handler over 25 points (the first call also
 * builds the lookup grid), and median of 10 redraws after wheel zooms (the client records
 * each draw's duration in featscope.lastDrawMs()).
 */
const IN_PAGE_TIMING = `(async () => {
  const fs = window.featscope, canvas = document.getElementById('fs-canvas'), n = fs.data.n;
  const med = (v) => v.sort((a, b) => a - b)[v.length >> 1];
  const hover = [];
  for (let j = 0; j < 25; j++) {
    const [x, y] = fs.screenPosition((j * 7919) % n);
    const t0 = performance.now();
    canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true }));
    hover.push(performance.now() - t0);
    await new Promise((r) => requestAnimationFrame(r));
  }
  const draw = [];
  const r = canvas.getBoundingClientRect();
  for (let j = 0; j < 10; j++) {
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: j % 2 ? 100 : -100, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
    await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    draw.push(fs.lastDrawMs());
  }
  return { hover: med(hover), draw: med(draw) };
})()`;

async function main() {
  const thumbs = await thumbnails();
  const browser = await launchChromium();
  const dir = mkdtempSync(join(tmpdir(), 'featscope-bench-pages-'));
  const rows: Row[] = [];
  const bare: [number, number][] = [];
  try {
    for (const n of SIZES) {
      const { points, embedding } = syntheticPoints({
        n,
        classes: [...FASHION_MNIST_CLASSES],
        neighbors: 8,
        seed: 11,
      });
      bare.push([
        n,
        renderInteractivePage(points, embedding, { colorBy: 'label', title: `bench ${n}` }).length,
      ]);
      points.thumbnails = Array.from({ length: n }, (_, i) => thumbs[i % thumbs.length]);
      for (const dims of [2, 3] as const) {
        const emb =
          dims === 2
            ? embedding
            : syntheticPoints({ n, classes: [...FASHION_MNIST_CLASSES], dims: 3, seed: 11 }).embedding;
        const t0 = performance.now();
        const html = renderInteractivePage(points, emb, { colorBy: 'label', title: `bench ${n}` });
        const buildMs = performance.now() - t0;
        const file = join(dir, `featscope-${n}-${dims}d.html`);
        writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
        const t1 = performance.now();
        await page.goto(pathToFileURL(file).href);
        await page.waitForFunction(
          () => (globalThis as unknown as Partial<BrowserGlobals>).featscope?.ready === true,
          null,
          {
            timeout: 120_000,
          },
        );
        const loadMs = performance.now() - t1;
        const m = (await page.evaluate(IN_PAGE_TIMING)) as { hover: number; draw: number };
        // And one end-to-end hover through the real mouse (includes Playwright's round trips).
        const [x, y] = await page.evaluate(
          (k) => (globalThis as unknown as BrowserGlobals).featscope.screenPosition(k),
          n >> 1,
        );
        const h0 = performance.now();
        await page.mouse.move(x, y);
        await page.waitForSelector('#fs-tooltip:not([hidden])', { timeout: 10_000 });
        const mouseMs = performance.now() - h0;
        await page.close();
        rows.push({
          n,
          page: `featscope ${dims}D`,
          mb: html.length / 1e6,
          bytesPerPoint: html.length / n,
          buildMs,
          loadMs,
          hoverMs: m.hover,
          redrawMs: m.draw,
          mouseMs,
        });
        report(rows.at(-1)!);
      }
      if (WITH_PLOTLY) {
        const html = plotlyPage(points.paths, embedding.coords, points.labelIds);
        const file = join(dir, `plotly-${n}.html`);
        writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        const t1 = performance.now();
        await page.goto(pathToFileURL(file).href);
        let loadMs = Number.NaN;
        let hoverMs = Number.NaN;
        try {
          await page.waitForFunction(() => (globalThis as unknown as { __ready?: number }).__ready, null, {
            timeout: 120_000,
          });
          loadMs = performance.now() - t1;
          const hover: number[] = [];
          for (let j = 0; j < 5; j++) {
            await page.mouse.move(5, 5);
            await page.evaluate(() => {
              (globalThis as unknown as { __hovered?: number }).__hovered = 0;
            });
            const h0 = performance.now();
            const [px, py] = (await page.evaluate(`${PLOTLY_POINT_POSITION}(${j * 97})`)) as [number, number];
            await page.mouse.move(px, py);
            await page.waitForFunction(
              () => (globalThis as unknown as { __hovered?: number }).__hovered,
              null,
              { timeout: 20_000 },
            );
            hover.push(performance.now() - h0);
          }
          hoverMs = median(hover);
        } catch (e) {
          console.warn(`plotly ${n}: ${String(e).split('\n')[0]} ${errors.join('; ')}`);
        }
        await page.close();
        rows.push({
          n,
          page: 'plotly scattergl 2D',
          mb: html.length / 1e6,
          bytesPerPoint: html.length / n,
          buildMs: 0,
          loadMs,
          hoverMs: Number.NaN,
          redrawMs: Number.NaN,
          mouseMs: hoverMs,
        });
        report(rows.at(-1)!);
      }
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\n${formatTable(
      [
        'N',
        'page',
        'MB',
        'bytes/point',
        'build ms',
        'load ms',
        'hover handler ms',
        'redraw ms',
        'mouse-to-tooltip ms',
      ],
      rows.map((r) => [
        String(r.n),
        r.page,
        r.mb.toFixed(2),
        r.bytesPerPoint.toFixed(0),
        r.buildMs.toFixed(0),
        fmt(r.loadMs),
        fmt(r.hoverMs, 2),
        fmt(r.redrawMs, 1),
        fmt(r.mouseMs),
      ]),
    )}`,
  );
  console.log(
    'The plotly page carries coordinates, colours and paths only; the featscope pages also carry a thumbnail per point.',
  );
  for (const [n, bytes] of bare)
    console.log(`featscope 2D page without thumbnails at N=${n}: ${(bytes / n).toFixed(0)} bytes/point`);
  // Linearity: bytes per point should stay flat as N grows.
  for (const p of ['featscope 2D', 'featscope 3D']) {
    const list = rows.filter((r) => r.page === p);
    if (list.length > 1) {
      console.log(
        `${p}: bytes/point at N=${list.at(-1)!.n} / at N=${list[0].n} = ${(list.at(-1)!.bytesPerPoint / list[0].bytesPerPoint).toFixed(3)}`,
      );
    }
  }
  for (const n of SIZES) {
    const ours = rows.find((r) => r.n === n && r.page === 'featscope 2D');
    const peer = rows.find((r) => r.n === n && r.page.startsWith('plotly'));
    if (ours && peer && Number.isFinite(peer.loadMs)) {
      console.log(
        `N=${n}: plotly load / featscope load = ${(peer.loadMs / ours.loadMs).toFixed(2)}, plotly mouse-to-hover / featscope mouse-to-tooltip = ${(peer.mouseMs / ours.mouseMs).toFixed(2)}`,
      );
    }
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
    `${r.page} N=${r.n}: ${r.mb.toFixed(2)} MB, load ${fmt(r.loadMs)} ms, hover ${fmt(r.hoverMs, 2)} ms, redraw ${fmt(r.redrawMs, 1)} ms, mouse-to-tooltip ${fmt(r.mouseMs)} ms`,
  );
}

await main();
