import { type MarkerShape, markerPath } from './markers.js';
import { svgText, type TextItem } from './text-item.js';
import { fitText, textWidth } from './text-runs.js';

/** One legend line: a marker in the class colour and the class name. */
export interface LegendEntry {
  name: string;
  color: string;
  shape: MarkerShape;
  count: number;
}

export interface LegendLayout {
  /** SVG markup, positioned with its top-left corner at (x, y) given to `layoutLegend`. */
  svg: string;
  /** The legend's lines of text (also inside `svg`), for the PDF. */
  texts: TextItem[];
  width: number;
  height: number;
  /** Entries drawn (the rest are summarised in a "+ N more" line). */
  shown: number;
}

/** Longest name drawn before it is cut with an ellipsis, in points. */
const MAX_NAME_WIDTH = 120;

/**
 * Lays out the legend in columns of at most `maxHeight` points. When the entries do not fit in
 * `maxColumns` columns, only the largest classes are listed (in their original order, so a
 * reader can still scan it) and a last line says how many classes and points were left out.
 */
export function layoutLegend(
  entries: LegendEntry[],
  title: string,
  x: number,
  y: number,
  maxHeight: number,
  maxColumns: number,
): LegendLayout {
  // Smaller type for long legends: 8 pt stays legible in print, 6.5 pt is the usual floor.
  const fontSize = entries.length <= 30 ? 8 : entries.length <= 80 ? 7 : 6.5;
  const lineHeight = fontSize * 1.42;
  const titleHeight = title ? fontSize * 1.9 : 0;
  const rowsPerColumn = Math.max(1, Math.floor((maxHeight - titleHeight) / lineHeight));
  const capacity = rowsPerColumn * maxColumns;
  let listed = entries.map((e, i) => ({ e, i }));
  let moreLine = '';
  if (entries.length > capacity) {
    const keep = capacity - 1;
    listed = [...listed]
      .sort((a, b) => b.e.count - a.e.count || a.i - b.i)
      .slice(0, keep)
      .sort((a, b) => a.i - b.i);
    const hidden = entries.length - keep;
    let hiddenPoints = 0;
    const kept = new Set(listed.map((l) => l.i));
    entries.forEach((e, i) => {
      if (!kept.has(i)) hiddenPoints += e.count;
    });
    moreLine = `+ ${hidden.toLocaleString('en-US')} more (${hiddenPoints.toLocaleString('en-US')} points)`;
  }
  const lines = listed.length + (moreLine ? 1 : 0);
  const columns = Math.max(1, Math.ceil(lines / rowsPerColumn));
  const rows = Math.min(lines, rowsPerColumn);
  const markerR = fontSize * 0.36;
  const textX = markerR * 2 + 5;
  const colGap = 12;
  const parts: string[] = [];
  const colWidths: number[] = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let r = 0; r < rowsPerColumn; r++) {
      const idx = c * rowsPerColumn + r;
      if (idx >= lines) break;
      const label = idx < listed.length ? fitText(listed[idx].e.name, fontSize, MAX_NAME_WIDTH) : moreLine;
      w = Math.max(w, textX + textWidth(label, fontSize));
    }
    colWidths.push(w);
  }
  let colX = x;
  const texts: TextItem[] = [];
  parts.push('<g id="legend">');
  if (title) {
    const t: TextItem = { x, y: y + fontSize, size: fontSize, text: title, bold: true, fill: '#222' };
    texts.push(t);
    parts.push(svgText(t));
  }
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rowsPerColumn; r++) {
      const idx = c * rowsPerColumn + r;
      if (idx >= lines) break;
      const cy = y + titleHeight + r * lineHeight + lineHeight / 2;
      const baseline = cy + fontSize * 0.35;
      if (idx < listed.length) {
        const { e } = listed[idx];
        const t: TextItem = {
          x: colX + textX,
          y: baseline,
          size: fontSize,
          text: fitText(e.name, fontSize, MAX_NAME_WIDTH),
          fill: '#222',
        };
        texts.push(t);
        parts.push(
          `<g class="legend-entry"><path fill="${e.color}" d="${markerPath(e.shape, colX + markerR, cy, markerR)}"/>${svgText(t)}</g>`,
        );
      } else {
        const t: TextItem = {
          x: colX,
          y: baseline,
          size: fontSize,
          text: moreLine,
          fill: '#666',
          className: 'legend-more',
        };
        texts.push(t);
        parts.push(svgText(t));
      }
    }
    colX += colWidths[c] + colGap;
  }
  parts.push('</g>');
  const titleWidth = title ? textWidth(title, fontSize, true) : 0;
  const width = Math.max(titleWidth, colX - colGap - x);
  return { svg: parts.join(''), texts, width, height: titleHeight + rows * lineHeight, shown: listed.length };
}
