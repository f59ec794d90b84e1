import { escapeXml } from '../escape.js';
import { fmt } from '../static/markers.js';
import { textWidth } from '../static/text-runs.js';

/** Above this many classes the heat map shows only the classes involved in most errors. */
const FULL_MATRIX_MAX = 150;
/** Classes kept in the aggregated heat map. */
const AGGREGATE_CLASSES = 40;
/** Cell counts are printed inside cells up to this many classes. */
const NUMBERS_MAX = 15;

/** White to dark blue, with a square-root scale so that a few percent of errors is visible. */
function cellColor(fraction: number): string {
  const t = Math.sqrt(Math.min(1, Math.max(0, fraction)));
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${lerp(247, 8)},${lerp(251, 48)},${lerp(255, 107)})`;
}

function truncate(name: string, max: number): string {
  const chars = Array.from(name);
  return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}

/** Indices of the classes shown: all, or the `AGGREGATE_CLASSES` with the most errors (either way). */
export function confusionClasses(confusion: Int32Array, c: number): { shown: number[]; aggregated: boolean } {
  if (c <= FULL_MATRIX_MAX) return { shown: Array.from({ length: c }, (_, i) => i), aggregated: false };
  const errors = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      if (i === j) continue;
      errors[i] += confusion[i * c + j];
      errors[j] += confusion[i * c + j];
    }
  }
  const shown = Array.from({ length: c }, (_, i) => i)
    .sort((a, b) => errors[b] - errors[a] || a - b)
    .slice(0, AGGREGATE_CLASSES)
    .sort((a, b) => a - b);
  return { shown, aggregated: true };
}

/**
 * The confusion matrix as an SVG heat map (rows = true label, columns = prediction, colour = row
 * share). Counts are printed for small class counts; every non-empty cell has a tooltip.
 */
export function confusionSvg(confusion: Int32Array, classes: string[]): { svg: string; aggregated: boolean } {
  const c = classes.length;
  const { shown, aggregated } = confusionClasses(confusion, c);
  const m = shown.length;
  const cell = m <= NUMBERS_MAX ? 34 : Math.max(6, Math.min(22, Math.floor(640 / Math.max(m, 1))));
  const labelFont = Math.min(11, Math.max(7, cell * 0.75));
  const showLabels = cell >= 7;
  const maxChars = 22;
  // Label widths from DejaVu Sans metrics: close to the browser's sans-serif, with 10% to spare.
  const labelWidth = showLabels
    ? Math.max(0, ...shown.map((i) => textWidth(truncate(classes[i], maxChars), labelFont))) * 1.1
    : 0;
  const left = labelWidth + 24;
  // Column labels are rotated by 50 degrees: they rise sin(50) and lean right cos(50) of their width.
  const topSpace = labelWidth * Math.sin((50 * Math.PI) / 180) + 24;
  const width = left + m * cell + 10 + labelWidth * Math.cos((50 * Math.PI) / 180);
  const height = topSpace + m * cell + 10;
  const rowTotals = shown.map((i) => {
    let s = 0;
    for (let j = 0; j < c; j++) s += confusion[i * c + j];
    return s;
  });
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="confusion" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-size="${fmt(labelFont)}">`,
    `<text x="${fmt(left + (m * cell) / 2)}" y="11" text-anchor="middle" fill="#555" font-size="11">predicted label</text>`,
    `<text transform="translate(11 ${fmt(topSpace + (m * cell) / 2)}) rotate(-90)" text-anchor="middle" fill="#555" font-size="11">true label</text>`,
  ];
  for (let r = 0; r < m; r++) {
    const i = shown[r];
    const y = topSpace + r * cell;
    if (showLabels) {
      parts.push(
        `<text x="${fmt(left - 4)}" y="${fmt(y + cell / 2 + labelFont * 0.35)}" text-anchor="end">${escapeXml(truncate(classes[i], maxChars))}</text>`,
      );
    }
    for (let q = 0; q < m; q++) {
      const j = shown[q];
      const count = confusion[i * c + j];
      const share = rowTotals[r] > 0 ? count / rowTotals[r] : 0;
      const x = left + q * cell;
      const tip =
        count > 0
          ? `<title>${escapeXml(`true ${classes[i]} → predicted ${classes[j]}: ${count} (${(share * 100).toFixed(1)}%)`)}</title>`
          : '';
      parts.push(
        `<rect x="${fmt(x)}" y="${fmt(y)}" width="${cell}" height="${cell}" fill="${cellColor(share)}"${i === j ? ' stroke="#999" stroke-width="0.5"' : ''}>${tip}</rect>`,
      );
      if (m <= NUMBERS_MAX && count > 0) {
        parts.push(
          `<text x="${fmt(x + cell / 2)}" y="${fmt(y + cell / 2 + 4)}" text-anchor="middle" font-size="10" fill="${share > 0.45 ? '#fff' : '#222'}">${count}</text>`,
        );
      }
    }
  }
  if (showLabels) {
    for (let q = 0; q < m; q++) {
      const x = left + q * cell + cell / 2 + labelFont * 0.35;
      parts.push(
        `<text transform="translate(${fmt(x)} ${fmt(topSpace - 4)}) rotate(-50)">${escapeXml(truncate(classes[shown[q]], maxChars))}</text>`,
      );
    }
  }
  parts.push('</svg>');
  return { svg: parts.join(''), aggregated };
}

/** The most frequent off-diagonal cells: (true, predicted, count), largest first. */
export function topConfusions(confusion: Int32Array, c: number, limit: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      if (i !== j && confusion[i * c + j] > 0) out.push([i, j, confusion[i * c + j]]);
    }
  }
  return out.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]).slice(0, limit);
}
