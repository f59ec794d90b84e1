import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { UserError } from '../../../src/errors.js';
import { renderFigureSvg, renderStaticFigure } from '../../../src/render/index.js';
import { syntheticPoints } from '../synthetic.js';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  'a "quoted", name',
  'кошка & 猫',
  '</svg><script>x</script>',
];

function pointsGroup(svg: string): string {
  const m = /<g id="points"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  assert.ok(m, 'points group present');
  return m[1];
}

test('the SVG has one marker per point, one legend entry per class, and escaped names', () => {
  const { points, embedding } = syntheticPoints({ n: 300, classes: HOSTILE });
  const svg = renderFigureSvg(points, embedding);
  assert.equal(pointsGroup(svg).match(/<path /g)?.length, 300);
  assert.equal(svg.match(/class="legend-entry"/g)?.length, HOSTILE.length);
  assert.doesNotMatch(svg, /<img|<script|<\/svg><script/);
  // Long names are cut with an ellipsis in the legend, but stay escaped text.
  assert.ok(svg.includes('>&lt;img src=x onerror='));
  // The Cyrillic stays in the root's DejaVu Sans; the ideograph gets its own run in Noto Sans CJK.
  assert.match(
    svg,
    />кошка &amp;<\/tspan><tspan x="[\d.]+" font-family="'Noto Sans S Chinese'[^"]*">猫<\/tspan>/,
  );
  assert.ok(svg.includes('t-SNE of 300 images'));
  // Every class colour appears on its points: 4 distinct fills among the markers.
  assert.equal(new Set(pointsGroup(svg).match(/fill="#[0-9a-f]{6}"/g)).size, 4);
});

test('1000 classes: the legend lists the largest classes and says how many more there are', () => {
  const { points, embedding } = syntheticPoints({ n: 3000, classes: 1000 });
  // Make class 999 the largest so it must be listed although it is last.
  for (let i = 0; i < 200; i++) points.labelIds[i] = 999;
  const svg = renderFigureSvg(points, embedding);
  const shown = svg.match(/class="legend-entry"/g)?.length ?? 0;
  assert.ok(shown > 20 && shown < 1000, `${shown} entries`);
  const more = /class="legend-more"[^>]*>\+ ([\d,]+) more/.exec(svg);
  assert.ok(more);
  assert.equal(Number(more[1].replace(/,/g, '')) + shown, 1000);
  assert.ok(svg.includes('>class 999<'));
});

test('a set with no labels and no predictions draws one "points" group without a legend', () => {
  const { points, embedding } = syntheticPoints({ n: 50, classes: 3 });
  points.labelIds.fill(-1);
  points.k = 0;
  points.topIds = new Int32Array(0);
  points.topConf = new Float32Array(0);
  const svg = renderFigureSvg(points, embedding);
  assert.equal(pointsGroup(svg).match(/<path /g)?.length, 50);
  assert.equal(svg.match(/class="legend-entry"/g), null);
  assert.ok(svg.includes('no labels or predictions'));
});

test('inconsistent inputs are a UserError, not a crash', () => {
  const { points, embedding } = syntheticPoints({ n: 20, classes: 3 });
  assert.throws(() => renderFigureSvg(points, { ...embedding, coords: new Float32Array(10) }), UserError);
  points.labelIds[3] = 7;
  assert.throws(() => renderFigureSvg(points, embedding), UserError);
});

/** Reads pHYs from a PNG: pixels per metre and unit. */
function phys(png: Uint8Array): { ppm: number; unit: number } | null {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let pos = 8; pos < png.length; ) {
    const len = v.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    if (type === 'pHYs') return { ppm: v.getUint32(pos + 8), unit: png[pos + 16] };
    pos += 12 + len;
  }
  return null;
}

test('PNG decodes at 300 dpi size with a pHYs chunk; PDF is a PDF with DejaVu embedded', async () => {
  const { points, embedding } = syntheticPoints({ n: 500, classes: HOSTILE });
  const fig = await renderStaticFigure(points, embedding);
  const meta = await sharp(Buffer.from(fig.png)).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, Math.round((fig.widthPt / 72) * 300));
  assert.ok(Math.abs((meta.height ?? 0) - (fig.heightPt / 72) * 300) <= 1);
  assert.deepEqual(phys(fig.png), { ppm: 11811, unit: 1 });
  assert.equal(Math.round(meta.density ?? 0), 300);
  // Text was drawn: the title band is not blank.
  const { data, info } = await sharp(Buffer.from(fig.png))
    .extract({ left: 0, top: 0, width: meta.width!, height: 150 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i] < 100) dark++;
  assert.ok(dark > 500, `only ${dark} dark pixels in the title band`);

  const pdf = Buffer.from(fig.pdf);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const text = pdf.toString('latin1');
  assert.match(text, /\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
  assert.match(text, /\/FontFile2/);
  assert.match(text, /\/MediaBox \[0 0 \d+ \d+\]/);
  // Sanity: the page content stream inflates.
  const stream = /stream\r?\n([\s\S]*?)endstream/.exec(text);
  assert.ok(stream && inflateSync(Buffer.from(stream[1], 'latin1')).length > 0);
});

const PDFTOPPM = '/usr/bin/pdftoppm';

test('the PDF draws the same picture as the PNG (rasterised with poppler)', {
  skip: existsSync(PDFTOPPM) ? false : `${PDFTOPPM} is missing (apt-get install poppler-utils)`,
}, async () => {
  const { points, embedding } = syntheticPoints({ n: 400, classes: 6 });
  const fig = await renderStaticFigure(points, embedding, { dpi: 72 });
  const dir = mkdtempSync(join(tmpdir(), 'featscope-pdf-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), fig.pdf);
    execFileSync(PDFTOPPM, ['-r', '72', '-png', '-singlefile', join(dir, 'f.pdf'), join(dir, 'f')]);
    const side = 64;
    const gray = (b: Buffer | Uint8Array) =>
      sharp(Buffer.from(b)).resize(side, side, { fit: 'fill' }).grayscale().raw().toBuffer();
    const a = await gray(readFileSync(join(dir, 'f.png')));
    const b = await gray(fig.png);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
    // Same layout gives ~0.6 grey levels (antialiasing, hinting); the 96/72 scale bug this guards gave 2.8.
    assert.ok(diff / a.length < 1.5, `mean abs difference ${(diff / a.length).toFixed(2)} grey levels`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
