import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { fontBytes, fontPath } from './font.js';

let boldBytes: Buffer | undefined;

/**
 * Converts one of our SVG figures (sizes in points) to a one-page vector PDF of the same size,
 * with DejaVu Sans embedded (subset) so the text looks the same everywhere. `warnings` collects
 * anything svg-to-pdfkit could not draw, instead of printing it.
 */
export async function svgToPdf(
  svg: string,
  widthPt: number,
  heightPt: number,
  title: string,
  warnings: string[] = [],
): Promise<Uint8Array> {
  boldBytes ??= readFileSync(fontPath(true));
  const doc = new PDFDocument({
    size: [widthPt, heightPt],
    margin: 0,
    autoFirstPage: true,
    info: { Title: title, Creator: 'featscope' },
  });
  doc.registerFont('DejaVuSans', fontBytes());
  doc.registerFont('DejaVuSans-Bold', boldBytes);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  SVGtoPDF(doc, svg, 0, 0, {
    width: widthPt,
    height: heightPt,
    assumePt: true,
    fontCallback: (_family, bold) => (bold ? 'DejaVuSans-Bold' : 'DejaVuSans'),
    warningCallback: (m) => warnings.push(m),
  });
  doc.end();
  await done;
  const buf = Buffer.concat(chunks);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
