import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { MarkerScene } from './figure-svg.js';
import { bundledFaces, type FontFace } from './font-faces.js';
import { markerPolygon } from './markers.js';
import { drawTexts, fontForFamily, registerFaces } from './pdf-text.js';
import type { TextItem } from './text-item.js';

/** Extra inputs of `svgToPdf`. */
export interface SvgToPdfOptions {
  /**
   * The scatter markers as data. When given, the SVG's `<g id="points">` is skipped by the SVG
   * converter and the markers are drawn with pdfkit's path operators instead: svg-to-pdfkit parses
   * every element, which is slow at 70k markers; the direct path costs a fraction of that.
   */
  markers?: MarkerScene;
  /**
   * The SVG's text as data (`FigureSvg.texts`). When given, the SVG's `<text>` elements are skipped
   * and the items are drawn by `drawTexts`: one face per run and right-to-left runs in display
   * order, which svg-to-pdfkit does not do. Without it, svg-to-pdfkit draws the text with the
   * bundled face its font-family names first.
   */
  texts?: TextItem[];
  /** Faces beyond the bundled ones that `texts` use (system fonts; `FigureSvg.faces`). */
  faces?: FontFace[];
  /** Collects anything svg-to-pdfkit could not draw, instead of printing it. */
  warnings?: string[];
}

/** Draws markers (in order) with one fill per marker, colours and opacity from the scene. */
function drawMarkers(doc: PDFKit.PDFDocument, m: MarkerScene): void {
  doc.save();
  doc.fillOpacity(m.alpha);
  const polys = m.shapes.map((s) => markerPolygon(s));
  for (let k = 0; k < m.xs.length; k++) {
    const g = m.groups[k];
    const x = m.xs[k];
    const y = m.ys[k];
    const poly = polys[g];
    if (!poly) doc.circle(x, y, m.r);
    else {
      doc.moveTo(x + poly[0] * m.r, y + poly[1] * m.r);
      for (let j = 2; j < poly.length; j += 2) doc.lineTo(x + poly[j] * m.r, y + poly[j + 1] * m.r);
      doc.closePath();
    }
    doc.fill(m.colors[g]);
  }
  doc.restore();
}

/**
 * Converts one of our SVG figures (sizes in points) to a one-page vector PDF of the same size,
 * with the fonts of its text embedded (subsets: the glyphs used) so it looks the same everywhere.
 */
export async function svgToPdf(
  svg: string,
  widthPt: number,
  heightPt: number,
  title: string,
  options: SvgToPdfOptions = {},
): Promise<Uint8Array> {
  const warnings = options.warnings ?? [];
  const doc = new PDFDocument({
    size: [widthPt, heightPt],
    margin: 0,
    autoFirstPage: true,
    info: { Title: title, Creator: 'featscope' },
  });
  registerFaces(doc, new Set([...bundledFaces().values(), ...(options.faces ?? [])]));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const markers = options.markers;
  // Without the markers the SVG still draws background, title, frame and legend; markers go on top
  // of the frame, which is where the SVG draws them too (the legend does not overlap the plot).
  let rest = markers ? svg.replace(/<g id="points"[^>]*>[\s\S]*?<\/g>/, '') : svg;
  if (options.texts) rest = rest.replace(/<text\b[^>]*>[\s\S]*?<\/text>/g, '');
  // svg-to-pdfkit converts a root size in "pt" to CSS pixels (x 96/72) even with assumePt; a unitless
  // size is taken as points, which is what the SVG means.
  rest = rest.replace(
    /^<svg([^>]*?) width="([\d.]+)pt" height="([\d.]+)pt"/,
    '<svg$1 width="$2" height="$3"',
  );
  SVGtoPDF(doc, rest, 0, 0, {
    width: widthPt,
    height: heightPt,
    assumePt: true,
    fontCallback: (family, bold) => fontForFamily(family, bold),
    warningCallback: (m) => warnings.push(m),
  });
  if (markers) drawMarkers(doc, markers);
  // Text last, as in the SVG where the legend follows the points.
  if (options.texts) drawTexts(doc, options.texts);
  doc.end();
  await done;
  const buf = Buffer.concat(chunks);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
