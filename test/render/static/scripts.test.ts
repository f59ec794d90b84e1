import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { buildFigureSvg, renderStaticFigure, svgToPng } from '../../../src/render/index.js';
import { shapeText } from '../../../src/render/static/text-runs.js';
import { syntheticPoints } from '../synthetic.js';
import { pdfFonts, pdfText, rasterisePdf } from './poppler.js';

const DPI = 150;

interface Gray {
  data: Buffer;
  width: number;
  height: number;
}

async function gray(png: Uint8Array | Buffer): Promise<Gray> {
  const { data, info } = await sharp(Buffer.from(png))
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Pixels that differ by more than a quarter of the grey range, in rows [top, bottom) of both images. */
function differingPixels(a: Gray, b: Gray, top = 0, bottom = Math.min(a.height, b.height)): number {
  const width = Math.min(a.width, b.width);
  let diff = 0;
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(bottom, a.height, b.height); y++) {
    for (let x = 0; x < width; x++)
      if (Math.abs(a.data[y * a.width + x] - b.data[y * b.width + x]) > 64) diff++;
  }
  return diff;
}

/** A small figure whose legend lists `classes`, rendered to PNG and to PDF (rasterised by poppler). */
async function render(classes: string[]) {
  const { points, embedding } = syntheticPoints({ n: 20 * classes.length, classes, seed: 5 });
  const fig = await renderStaticFigure(points, embedding, { dpi: DPI });
  const { texts } = buildFigureSvg(points, embedding, { dpi: DPI });
  // Pixel rows of each legend name (from its baseline and font size) and the column it starts at.
  const rows = classes.map((name) => {
    const t = texts.find((x) => x.text === name);
    assert.ok(t, `legend line for ${name}`);
    return [((t.y - t.size * 1.1) * DPI) / 72, ((t.y + t.size * 0.4) * DPI) / 72, (t.x * DPI) / 72];
  });
  return { fig, png: await gray(fig.png), pdf: await gray(rasterisePdf(fig.pdf, DPI)), rows };
}

test('two sets of Chinese names of equal lengths draw different pixels in PNG and PDF (tofu would not)', async () => {
  // Ideographs all advance 1 em, so both legends have the same layout; only the glyphs differ.
  const a = ['猫', '金毛寻回犬', '鹦鹉', '长颈鹿', '蝾螈'];
  const b = ['狗', '拉布拉多犬', '熊猫', '斑马线', '蜥蜴'];
  const ra = await render(a);
  const rb = await render(b);
  assert.equal(ra.fig.widthPt, rb.fig.widthPt);
  assert.equal(ra.png.width, rb.png.width);
  for (const [i, [top, bottom]] of ra.rows.entries()) {
    const png = differingPixels(ra.png, rb.png, top, bottom);
    const pdf = differingPixels(ra.pdf, rb.pdf, top, bottom);
    // One ideograph at 8 pt and 150 dpi is about 17 x 17 px, a third of it ink.
    assert.ok(png > 40 * a[i].length, `PNG: "${a[i]}" vs "${b[i]}" differ in only ${png} pixels`);
    assert.ok(pdf > 40 * a[i].length, `PDF: "${a[i]}" vs "${b[i]}" differ in only ${pdf} pixels`);
  }
  // The control: with only a Latin font, both sets come out as the same boxes, pixel for pixel.
  const { points, embedding } = syntheticPoints({ n: 100, classes: a, seed: 5 });
  const svgA = buildFigureSvg(points, embedding).svg;
  points.classes = b;
  const fb = buildFigureSvg(points, embedding);
  const tofuA = await gray(svgToPng(svgA, fb.widthPt, 72, []));
  const tofuB = await gray(svgToPng(fb.svg, fb.widthPt, 72, []));
  assert.equal(differingPixels(tofuA, tofuB), 0);
});

const SCRIPTS = [
  { script: 'Japanese', a: 'すずめ', b: 'つばめ', face: 'jp', font: 'NotoSansJP-Regular' },
  { script: 'Korean', a: '고양이', b: '강아지', face: 'kr', font: 'NotoSansKR-Regular' },
  { script: 'Arabic', a: 'قطة', b: 'كلب', face: 'arabic', font: 'NotoNaskhArabic' },
  { script: 'Hebrew', a: 'חתול', b: 'כלבה', face: 'hebrew', font: 'NotoSansHebrew' },
  { script: 'Cyrillic', a: 'кошка', b: 'ворон', face: 'latin', font: 'DejaVuSans' },
  { script: 'Greek', a: 'αετός', b: 'λύκος', face: 'latin', font: 'DejaVuSans' },
] as const;

test('Japanese, Korean, Arabic, Hebrew, Cyrillic and Greek names: a face that has them, real glyphs in PNG and PDF', async () => {
  for (const s of SCRIPTS) {
    for (const name of [s.a, s.b]) {
      const line = shapeText(name);
      assert.deepEqual(line.missing, [], `${s.script} "${name}" has characters no font covers`);
      assert.deepEqual(
        line.runs.map((r) => r.face.id),
        [s.face],
        `${s.script} "${name}" is drawn with ${line.runs.map((r) => r.face.family)}`,
      );
    }
  }
  const ra = await render(SCRIPTS.map((s) => s.a));
  const rb = await render(SCRIPTS.map((s) => s.b));
  for (const [i, s] of SCRIPTS.entries()) {
    const [top, bottom] = ra.rows[i];
    const png = differingPixels(ra.png, rb.png, top, bottom);
    const pdf = differingPixels(ra.pdf, rb.pdf, top, bottom);
    assert.ok(png > 60, `PNG: ${s.script} "${s.a}" vs "${s.b}" differ in only ${png} pixels`);
    assert.ok(pdf > 60, `PDF: ${s.script} "${s.a}" vs "${s.b}" differ in only ${pdf} pixels`);
  }
  const fonts = pdfFonts(ra.fig.pdf);
  for (const s of SCRIPTS)
    assert.ok(
      fonts.some((f) => f.name === s.font),
      `${s.font} not in ${fonts.map((f) => f.name)}`,
    );
  // Legend text is text: a reader can copy the names.
  const text = pdfText(ra.fig.pdf);
  for (const name of ['すずめ', '고양이', 'кошка', 'αετός'])
    assert.ok(text.includes(name), `"${name}" not in ${text}`);
});

test('the PDF embeds every font it uses, as a subset with a Unicode map', async () => {
  const { points, embedding } = syntheticPoints({
    n: 60,
    classes: ['猫', 'ねこ', '고양이', 'قطة', 'חתול', 'cat'],
  });
  const fig = await renderStaticFigure(points, embedding, { dpi: 72 });
  const fonts = pdfFonts(fig.pdf);
  assert.ok(fonts.length >= 7, fonts.map((f) => f.name).join(', '));
  for (const f of fonts)
    assert.ok(f.emb && f.sub && f.uni, `${f.name}: emb ${f.emb} sub ${f.sub} uni ${f.uni}`);
  // Subsets: the whole PDF is far smaller than one CJK font file (~8 MB).
  assert.ok(fig.pdf.length < 400_000, `${fig.pdf.length} bytes`);
});

/** Columns of the widest gap between ink in rows [top, bottom): a word gap; and where ink starts and ends. */
function wordGap(
  img: Gray,
  top: number,
  bottom: number,
  left: number,
): { gapAt: number; start: number; end: number } {
  const ink: boolean[] = [];
  for (let x = Math.floor(left); x < img.width; x++) {
    let any = false;
    for (let y = Math.floor(top); y < Math.ceil(bottom) && !any; y++) any = img.data[y * img.width + x] < 128;
    ink.push(any);
  }
  const start = ink.indexOf(true);
  const end = ink.lastIndexOf(true);
  let best = 0;
  let gapAt = -1;
  for (let x = start, run = 0; x <= end; x++) {
    run = ink[x] ? 0 : run + 1;
    if (run > best) {
      best = run;
      gapAt = x;
    }
  }
  return { gapAt, start, end };
}

test('right-to-left names read from the right: the first word is at the right end, in PNG and PDF', async () => {
  // A one-letter first word, then a long one: read right to left, the short word is at the right.
  const names = ['א בבבבבבבב', 'ب سسسسسسسس'];
  const r = await render(names);
  for (const [i, name] of names.entries()) {
    const [top, bottom, left] = r.rows[i];
    for (const [kind, img] of [
      ['PNG', r.png],
      ['PDF', r.pdf],
    ] as const) {
      const { gapAt, start, end } = wordGap(img, top, bottom, left);
      assert.ok(gapAt > 0, `${kind}: no word gap in "${name}"`);
      assert.ok(end - gapAt < gapAt - start, `${kind}: "${name}" has its short first word on the left`);
    }
  }
});

test('a character that no bundled or system font has is reported, not silently drawn as a box', () => {
  // U+10FFFD is a private-use code point: no font assigns it a glyph.
  const { points, embedding } = syntheticPoints({ n: 30, classes: ['cat \u{10FFFD}', 'dog'] });
  const fig = buildFigureSvg(points, embedding);
  assert.equal(fig.warnings.length, 1, fig.warnings.join('\n'));
  assert.match(fig.warnings[0], /U\+10FFFD as empty boxes: no bundled or system font has these characters/);
  assert.deepEqual(
    buildFigureSvg(syntheticPoints({ n: 30, classes: ['猫', 'كلب'] }).points, embedding).warnings,
    [],
  );
});
