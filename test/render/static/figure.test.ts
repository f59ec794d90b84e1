import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { UserError } from '../../../src/errors.js';
import { renderFigureSvg, renderStaticFigure } from '../../../src/render/index.js';
import { syntheticPoints } from '../synthetic.js';
import { rasterisePdf } from './poppler.js';

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

test('1000 classes with points: the legend lists the largest classes and says how many more there are', () => {
  const { points, embedding } = syntheticPoints({ n: 3000, classes: 1000 });
  // Make class 999 the largest so it must be listed although it is last (classes 0-66 lose their points).
  for (let i = 0; i < 200; i++) points.labelIds[i] = 999;
  const present = new Set(points.labelIds).size;
  const svg = renderFigureSvg(points, embedding);
  const shown = svg.match(/class="legend-entry"/g)?.length ?? 0;
  assert.ok(shown > 20 && shown < present, `${shown} entries`);
  const more = /class="legend-more"[^>]*>\+ ([\d,]+) more \(([\d,]+) points\)/.exec(svg);
  assert.ok(more);
  assert.equal(Number(more[1].replace(/,/g, '')) + shown, present);
  assert.ok(Number(more[2].replace(/,/g, '')) > 0);
  assert.ok(svg.includes('>class 999<'));
  assert.ok(!svg.includes('>class 0<'), 'a class without points is listed');
});

/** CIE L*a*b* (D65) of `#rrggbb`, written out here rather than taken from the palette code under test. */
function cielab(hex: string): [number, number, number] {
  const lin = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  const x = f((0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047);
  const y = f(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]);
  const z = f((0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

test('a 1,000-class model on a 100-class test set: 100 legend entries, 100 well-separated colours', () => {
  const { points, embedding } = syntheticPoints({ n: 2000, classes: 1000, seed: 11 });
  // The test set holds 100 classes spread over the model's 1,000 (ids 3, 13, 23, ...); predictions
  // fall in 60 other classes, so colouring by prediction lists those instead.
  const present = Array.from({ length: 100 }, (_, j) => 10 * j + 3);
  for (let i = 0; i < points.n; i++) {
    points.labelIds[i] = present[i % 100];
    points.topIds[i * points.k] = 10 * (i % 60) + 7;
  }
  for (const [colorBy, ids] of [
    ['label', present],
    ['prediction', Array.from({ length: 60 }, (_, j) => 10 * j + 7)],
  ] as const) {
    const svg = renderFigureSvg(points, embedding, { colorBy });
    const names = [
      ...svg.matchAll(/class="legend-entry"><path fill="(#[0-9a-f]{6})"[^>]*\/><text[^>]*>([^<]*)<\/text>/g),
    ];
    assert.deepEqual(
      names.map((m) => m[2]),
      ids.map((id) => `class ${id}`),
      `${colorBy}: the legend lists exactly the classes with points`,
    );
    assert.doesNotMatch(svg, /legend-more/);
    assert.match(svg, new RegExp(`· ${ids.length} of 1,000 classes<`));
    const colors = names.map((m) => m[1]);
    assert.equal(new Set(colors).size, ids.length);
    // The points use exactly the legend's colours.
    assert.deepEqual(new Set(pointsGroup(svg).match(/#[0-9a-f]{6}/g)), new Set(colors));
    let min = Number.POSITIVE_INFINITY;
    const lab = colors.map(cielab);
    for (let i = 0; i < lab.length; i++) {
      for (let j = i + 1; j < lab.length; j++)
        min = Math.min(min, Math.hypot(...lab[i].map((v, c) => v - lab[j][c])));
    }
    // Delta E*ab: about 2.3 is just noticeable. 100 evenly spaced hues at two or three lightness
    // levels (the palette before) reached 4.3; farthest-point sampling in OKLab reaches 7.8.
    assert.ok(
      min > 7,
      `${colorBy}: two of ${ids.length} colours are only ${min.toFixed(1)} apart (Delta E*ab)`,
    );
  }
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

test('the PDF draws the same picture as the PNG (rasterised with poppler)', async () => {
  const { points, embedding } = syntheticPoints({ n: 400, classes: 6 });
  const fig = await renderStaticFigure(points, embedding, { dpi: 72 });
  const side = 64;
  const gray = (b: Buffer | Uint8Array) =>
    sharp(Buffer.from(b)).resize(side, side, { fit: 'fill' }).grayscale().raw().toBuffer();
  const a = await gray(rasterisePdf(fig.pdf, 72));
  const b = await gray(fig.png);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
  // Same layout gives ~0.6 grey levels (antialiasing, hinting); the 96/72 scale bug this guards gave 2.8.
  assert.ok(diff / a.length < 1.5, `mean abs difference ${(diff / a.length).toFixed(2)} grey levels`);
});
