import { domainGroups } from '../domain-groups.js';
import { escapeXml } from '../escape.js';
import { groupPoints } from '../groups.js';
import type { Embedding, PointSet } from '../types.js';
import { validatePoints } from '../validate.js';
import { FONT_FAMILY, textWidth } from './font.js';
import { layoutLegend } from './legend.js';
import { fmt, type MarkerShape, markerFor, markerPath } from './markers.js';
import { resolveStaticFigureOptions, type StaticFigureOptions } from './options.js';
import { groupColors } from './palette.js';

/** Display names of the methods, as papers write them. */
export const METHOD_NAMES: Readonly<Record<Embedding['method'], string>> = Object.freeze({
  tsne: 't-SNE',
  pca: 'PCA',
  umap: 'UMAP',
});

const LEGEND_TITLES = {
  label: 'true label',
  prediction: 'predicted label',
  correct: 'top-1 prediction',
  domain: 'domain · class',
} as const;
const COLOURING = {
  label: 'true label',
  prediction: 'predicted label',
  correct: 'top-1 correct / misclassified',
  domain: 'domain, marker by class',
} as const;

/** A drawn figure: the SVG and its size in points (1/72 in). */
export interface FigureSvg {
  svg: string;
  widthPt: number;
  heightPt: number;
  /** The title text (unescaped), for document metadata. */
  title: string;
  /** The markers of `<g id="points">` as data, in drawing order, so PDF output can draw them directly. */
  markers: MarkerScene;
}

/** Scatter markers in drawing order: centre (points, y down), group, and per-group style. */
export interface MarkerScene {
  xs: Float32Array;
  ys: Float32Array;
  groups: Int32Array;
  colors: string[];
  shapes: MarkerShape[];
  /** Marker radius in points and fill opacity, the same for all markers. */
  r: number;
  alpha: number;
}

/** Drawing order: a seeded Fisher-Yates shuffle (xorshift32), so no class is always painted last. */
function drawOrder(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Scatter of a 2D map as an SVG document plus its size; see `renderFigureSvg`. */
export function buildFigureSvg(
  points: PointSet,
  embedding: Embedding,
  options: StaticFigureOptions = {},
): FigureSvg {
  validatePoints(points, embedding);
  if (embedding.dims !== 2) throw new RangeError('the static figure draws 2D maps; got a 3D embedding');
  const n = points.n;
  const o = resolveStaticFigureOptions(n, options);
  const groups = groupPoints(points, o.colorBy);
  // Colour by domain draws one group per (domain, class) pair: colour = domain, marker = class.
  const byDomain = groups.colorBy === 'domain' ? domainGroups(points) : null;
  const groupOf = byDomain ? byDomain.groupOf : groups.groupOf;
  const colors = byDomain
    ? byDomain.colors
    : groupColors(groups.names, groups.colorBy as Exclude<typeof groups.colorBy, 'domain'>);
  const shapes: MarkerShape[] = byDomain
    ? byDomain.shapes
    : groups.colorBy === 'correct'
      ? ['circle', 'x', 'square']
      : groups.names.map((_, i) => markerFor(i));

  const margin = 14;
  const method = METHOD_NAMES[embedding.method];
  const title = o.title || `${method} of ${n.toLocaleString('en-US')} images`;
  const subtitle =
    o.subtitle ||
    (groups.names.length === 1 && groups.names[0] === 'points'
      ? 'no labels or predictions'
      : `coloured by ${COLOURING[groups.colorBy]} · ${points.classes.length.toLocaleString('en-US')} classes`);
  const titleSize = 11;
  const subSize = 8;
  const plotTop = margin + titleSize + subSize + 12;
  const plotSize = o.plotInches * 72;
  const plotLeft = margin + 10;

  // Equal aspect (a map's distances mean the same along both axes), 3% padding, centred.
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const c = embedding.coords;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, c[2 * i]);
    maxX = Math.max(maxX, c[2 * i]);
    minY = Math.min(minY, c[2 * i + 1]);
    maxY = Math.max(maxY, c[2 * i + 1]);
  }
  if (n === 0) minX = maxX = minY = maxY = 0;
  const inner = plotSize * 0.94 - 2 * o.markerSize;
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const scale = inner / span;
  const cx = plotLeft + plotSize / 2;
  const cy = plotTop + plotSize / 2;
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;

  const parts: string[] = [];
  parts.push(`<g id="points" fill-opacity="${fmt(o.alpha)}">`);
  const order = drawOrder(n, o.seed);
  // Colour by correctness draws misclassified points last, on top: they are what the reader looks for.
  const sequence =
    groups.colorBy === 'correct'
      ? [...order].sort((a, b) => (groupOf[a] === 1 ? 1 : 0) - (groupOf[b] === 1 ? 1 : 0))
      : order;
  const markers: MarkerScene = {
    xs: new Float32Array(n),
    ys: new Float32Array(n),
    groups: new Int32Array(n),
    colors,
    shapes,
    r: o.markerSize,
    alpha: o.alpha,
  };
  let k = 0;
  for (const i of sequence) {
    const g = groupOf[i];
    const x = cx + (c[2 * i] - midX) * scale;
    // SVG y grows downward; flip so the map reads like a matplotlib plot.
    const y = cy - (c[2 * i + 1] - midY) * scale;
    markers.xs[k] = x;
    markers.ys[k] = y;
    markers.groups[k++] = g;
    parts.push(`<path fill="${colors[g]}" d="${markerPath(shapes[g], x, y, o.markerSize)}"/>`);
  }
  parts.push('</g>');

  const legendX = plotLeft + plotSize + 14;
  const entries =
    byDomain?.legend ??
    groups.names.map((name, i) => ({
      name,
      color: colors[i],
      shape: shapes[i],
      count: groups.counts[i],
    }));
  const showLegend = !(entries.length === 1 && entries[0].name === 'points');
  const legend = showLegend
    ? layoutLegend(entries, LEGEND_TITLES[groups.colorBy], legendX, plotTop, plotSize, o.maxLegendColumns)
    : { svg: '', width: 0, height: 0, shown: 0 };

  const axisSize = 8;
  const width = Math.ceil(
    Math.max(
      legendX + legend.width + margin,
      margin + textWidth(title, titleSize) + margin,
      plotLeft + plotSize + margin,
    ),
  );
  const height = Math.ceil(
    Math.max(plotTop + plotSize + axisSize + 8 + margin, plotTop + legend.height + margin),
  );

  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT_FAMILY}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    `<text x="${margin}" y="${margin + titleSize}" font-size="${titleSize}" font-weight="bold" fill="#111">${escapeXml(title)}</text>` +
    `<text x="${margin}" y="${margin + titleSize + subSize + 5}" font-size="${subSize}" fill="#666">${escapeXml(subtitle)}</text>` +
    `<rect x="${fmt(plotLeft)}" y="${fmt(plotTop)}" width="${fmt(plotSize)}" height="${fmt(plotSize)}" fill="none" stroke="#bbb" stroke-width="0.6"/>` +
    `<text x="${fmt(cx)}" y="${fmt(plotTop + plotSize + axisSize + 3)}" font-size="${axisSize}" fill="#555" text-anchor="middle">${method} 1</text>` +
    `<text transform="translate(${fmt(plotLeft - 4)} ${fmt(cy)}) rotate(-90)" font-size="${axisSize}" fill="#555" text-anchor="middle">${method} 2</text>`;
  return {
    svg: `${head}${parts.join('')}${legend.svg}</svg>`,
    widthPt: width,
    heightPt: height,
    title,
    markers,
  };
}

/**
 * The static figure as an SVG string: a 2D map, every class its own colour and marker, legend
 * beside the plot, no ticks, title with the method and N. Sizes are in points.
 */
export function renderFigureSvg(
  points: PointSet,
  embedding: Embedding,
  options: StaticFigureOptions = {},
): string {
  return buildFigureSvg(points, embedding, options).svg;
}
