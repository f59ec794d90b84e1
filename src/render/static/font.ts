import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * The one font every figure uses: DejaVu Sans from the `dejavu-fonts-ttf` package, so text renders
 * the same on a machine with no system fonts (CI containers) and covers Latin, Greek, Cyrillic and
 * more. The SVG names it; resvg and pdfkit are handed the file.
 */
export const FONT_FAMILY = 'DejaVu Sans';

let fontDir: string | undefined;

/** Absolute path of DejaVuSans.ttf (or DejaVuSans-Bold.ttf) inside node_modules. */
export function fontPath(bold = false): string {
  fontDir ??= join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return join(fontDir, bold ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf');
}

let cachedBytes: Buffer | undefined;

export function fontBytes(): Buffer {
  cachedBytes ??= readFileSync(fontPath());
  return cachedBytes;
}

let measurer: PDFKit.PDFDocument | undefined;

/** Advance width of `text` in points at `size` pt, from the font's own metrics (via pdfkit's fontkit). */
export function textWidth(text: string, size: number): number {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false });
    measurer.font(fontBytes());
  }
  return measurer.fontSize(size).widthOfString(text);
}

/** `text` cut with an ellipsis so it is at most `maxWidth` pt wide at `size` pt. */
export function fitText(text: string, size: number, maxWidth: number): string {
  if (textWidth(text, size) <= maxWidth) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(`${chars.slice(0, mid).join('')}…`, size) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}
