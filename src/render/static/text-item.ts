import { escapeXml } from '../escape.js';
import { type FontFace, latinFace } from './font-faces.js';
import { fmt } from './markers.js';
import { hasRtlLetters, isolatedRunText, runWidth, shapeText, visualRuns } from './text-runs.js';

/**
 * One line of text in a figure, as data: the SVG writes it as `<text>` (one `<tspan>` per font
 * run), and the PDF draws it with pdfkit from the same record, so both use the same faces.
 */
export interface TextItem {
  /** Anchor point on the baseline, in points (y down). */
  x: number;
  y: number;
  /** Font size in points. */
  size: number;
  /** The line; written as given (callers cut long names with `fitText`). */
  text: string;
  bold?: boolean;
  /** `#rrggbb`. */
  fill: string;
  /** Where (x, y) sits on the line; default 'start' (the left end). */
  anchor?: 'start' | 'middle';
  /** Degrees, clockwise on screen, about (x, y), as SVG's rotate(). */
  rotate?: number;
  /** SVG class attribute, for tests and styling. */
  className?: string;
}

/** CSS font-family value of a face: its names, then the generic family. */
export function cssFontFamily(face: FontFace): string {
  return [...face.cssFamilies.map((f) => `'${f.replace(/'/g, '')}'`), 'sans-serif'].join(', ');
}

/**
 * `<text>` of an item. A line in one face is one plain `<text>` (with font-family unless it is the
 * root's DejaVu Sans). A line in several faces gets one `<tspan>` per run, in display order, each at
 * its own x: every tspan is then its own text chunk, shaped with its own face. (Within one chunk
 * resvg shapes all of the text with each span's font and, when a fallback font covers the whole
 * chunk, draws everything with that font: the Latin of a mixed label would come out in the CJK
 * face's Latin, never bold.) The x positions come from the same metrics as the PDF's.
 */
export function svgText(t: TextItem): string {
  const runs = shapeText(t.text, t.bold).runs;
  const latin = latinFace();
  const place = t.rotate
    ? ` transform="translate(${fmt(t.x)} ${fmt(t.y)}) rotate(${fmt(t.rotate)})"`
    : ` x="${fmt(t.x)}" y="${fmt(t.y)}"`;
  let attrs = `${t.className ? ` class="${t.className}"` : ''}${place} font-size="${fmt(t.size)}"`;
  if (t.bold) attrs += ' font-weight="bold"';
  attrs += ` fill="${t.fill}"`;
  const family = (face: FontFace) => (face === latin ? '' : ` font-family="${cssFontFamily(face)}"`);
  if (runs.length <= 1) {
    const anchor = t.anchor === 'middle' ? ' text-anchor="middle"' : '';
    const face = runs[0]?.face ?? latin;
    return `<text${attrs}${anchor}${family(face)}>${escapeXml(runs[0]?.text ?? '')}</text>`;
  }
  const ordered = visualRuns(runs);
  const widths = ordered.map((r) => runWidth(r, t.size, t.bold));
  const x0 = t.rotate ? 0 : t.x;
  let x = x0 - (t.anchor === 'middle' ? widths.reduce((a, b) => a + b, 0) / 2 : 0);
  const body = ordered.map((r, i) => {
    // Edge spaces are left out and stepped over instead: resvg keeps a right-to-left chunk's
    // trailing space at its right end, where the line has the next run.
    const text = isolatedRunText(r);
    const trimmed = text.trim();
    // A right-to-left run's trailing spaces are at its left end on screen.
    const lead =
      r.level % 2 === 1 && hasRtlLetters(r.text)
        ? text.length - text.trimEnd().length
        : text.length - text.trimStart().length;
    const skip = lead ? runWidth({ ...r, text: ' '.repeat(lead) }, t.size, t.bold) : 0;
    const span = trimmed ? `<tspan x="${fmt(x + skip)}"${family(r.face)}>${escapeXml(trimmed)}</tspan>` : '';
    x += widths[i];
    return span;
  });
  return `<text${attrs}>${body.join('')}</text>`;
}

/** Faces the items are drawn with (DejaVu Sans always), for the rasteriser and the PDF. */
export function facesOf(items: readonly TextItem[]): FontFace[] {
  const faces = new Set<FontFace>([latinFace()]);
  for (const t of items) for (const r of shapeText(t.text, t.bold).runs) faces.add(r.face);
  return [...faces];
}

/** Code points of the items that no font has, as `U+XXXX` strings, for a warning. */
export function missingGlyphs(items: readonly TextItem[]): string[] {
  const out = new Set<string>();
  for (const t of items) {
    for (const cp of shapeText(t.text, t.bold).missing) {
      out.add(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  }
  return [...out];
}
