import { bundledFaces, type FontFace } from './font-faces.js';
import type { TextItem } from './text-item.js';
import { fontkitRunText, runWidth, shapeText, visualRuns } from './text-runs.js';

/** pdfkit font name of a face and weight. */
function fontName(face: FontFace, bold: boolean): string {
  return `${face.id}${bold ? '-bold' : ''}`;
}

/**
 * Registers faces (both weights) with a document under `fontName`. pdfkit reads a file only when
 * a font is first used, and embeds only the glyphs drawn (a subset), so registering is cheap.
 */
export function registerFaces(doc: PDFKit.PDFDocument, faces: Iterable<FontFace>): void {
  for (const face of faces) {
    for (const bold of [false, true]) {
      const file = bold ? face.bold : face.regular;
      if (file.postscriptName) doc.registerFont(fontName(face, bold), file.path, file.postscriptName);
      else doc.registerFont(fontName(face, bold), file.path);
    }
  }
}

/** The registered font for an SVG font-family list (svg-to-pdfkit's callback); DejaVu Sans otherwise. */
export function fontForFamily(family: string, bold: boolean): string {
  const first = family
    .split(',')[0]
    .trim()
    .replace(/^['"]|['"]$/g, '');
  for (const face of bundledFaces().values()) {
    if (face.cssFamilies.includes(first)) return fontName(face, bold);
  }
  return fontName(bundledFaces().get('latin') as FontFace, bold);
}

/**
 * Draws text items as real PDF text (selectable, searchable): each run in its face, runs placed
 * left to right in display order, so right-to-left names read right. The faces must have been
 * registered with `registerFaces`.
 */
export function drawTexts(doc: PDFKit.PDFDocument, items: readonly TextItem[]): void {
  for (const t of items) {
    const bold = !!t.bold;
    const runs = visualRuns(shapeText(t.text, bold).runs);
    if (!runs.length) continue;
    const widths = runs.map((r) => runWidth(r, t.size, bold));
    let x = t.anchor === 'middle' ? -widths.reduce((a, b) => a + b, 0) / 2 : 0;
    doc.save();
    doc.translate(t.x, t.y);
    if (t.rotate) doc.rotate(t.rotate);
    doc.fillColor(t.fill);
    runs.forEach((r, i) => {
      // `features: []` makes pdfkit shape the run as one piece; without it pdfkit shapes word by
      // word and puts the words of a right-to-left run in reading order from the left.
      doc
        .font(fontName(r.face, bold))
        .fontSize(t.size)
        .text(fontkitRunText(r), x, 0, { lineBreak: false, baseline: 'alphabetic', features: [] });
      x += widths[i];
    });
    doc.restore();
  }
}
