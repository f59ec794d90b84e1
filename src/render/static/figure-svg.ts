import { domainGroups, markerClass } from '../domain-groups.js';
import { escapeXml } from '../escape.js';
import { groupPoints, type PointGroups } from '../groups.js';
import type { Embedding, PointSet } from '../types.js';
import { validatePoints } from '../validate.js';
import { type FontFace, latinFace } from './font-faces.js';
import { layoutLegend } from './legend.js';
import { fmt, type MarkerShape, markerPath } from './markers.js';
import { resolveStaticFigureOptions, type StaticFigureOptions } from './options.js';
import { groupStyles } from './palette.js';
import { cssFontFamily, facesOf, missingGlyphs, svgText, type TextItem } from './text-item.js';
import { textWidth } from './text-runs.js';

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
  set: 'set · class',
} as const;
const COLOURING = {
  label: 'true label',
  prediction: 'predicted label',
  correct: 'top-1 correct / misclassified',
  domain: 'domain, marker by class',
  set: 'set (reference map / placed points), marker by class',
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
  /** Every `<text>` of the SVG as data, so PDF output draws the same runs with the same faces. */
  texts: TextItem[];
  /** Faces the text uses (the rasteriser and the PDF load only these). */
  faces: FontFace[];
  /** Problems a reader would see, e.g. characters no font has (drawn as boxes). */
  warnings: string[];
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

/** Whether some marker shows a predicted class (an unlabelled image with a prediction). */
function predictedMarkers(points: PointSet): boolean {
  return points.k > 0 && points.labelIds.some((l) => l < 0);
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

/** "10 classes", or "100 of 1,000 classes" when the legend lists only the classes that have points. */
function classCount(points: PointSet, groups: PointGroups): string {
  const total = points.classes.length;
  let shown = total;
  if (groups.colorBy === 'domain' || groups.colorBy === 'set') {
    // The groups are the domains; the classes are the markers: count the classes that have points.
    const seen = new Set<number>();
    for (let i = 0; i < points.n; i++) seen.add(markerClass(points, i));
    seen.delete(-1);
    shown = seen.size;
  } else if (groups.colorBy !== 'correct') {
    const unlabelled = groups.colorBy === 'label' && points.labelIds.some((l) => l < 0) ? 1 : 0;
    shown = groups.names.length - unlabelled;
  }
  const all = `${total.toLocaleString('en-US')} classes`;
  return shown < total ? `${shown.toLocaleString('en-US')} of ${all}` : all;
}

/** Warnings for text a reader would find wrong or that depends on this machine's fonts. */
function fontWarnings(missing: string[], faces: FontFace[]): string[] {
  const out: string[] = [];
  if (missing.length) {
    const more = missing.length > 8 ? ` and ${missing.length - 8} more` : '';
    out.push(
      `the figure shows ${missing.slice(0, 8).join(', ')}${more} as empty boxes: no bundled or system font ` +
        'has these characters; install a font that has them (e.g. one of the Noto fonts) or rename the classes',
    );
  }
  const system = faces.filter((f) => f.source === 'system').map((f) => f.family);
  if (system.length) {
    out.push(
      `the figure draws some characters with system fonts (${system.join(', ')}), not with featscope's ` +
        'bundled fonts: on another machine it may look different',
    );
  }
  return out;
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
  // By set, the same: colour = set (reference / new), marker = class.
  const byDomain =
    groups.colorBy === 'domain'
      ? domainGroups(points)
      : groups.colorBy === 'set'
        ? domainGroups({ ...points, domains: points.sets })
        : null;
  const groupOf = byDomain ? byDomain.groupOf : groups.groupOf;
  const { colors, shapes } = byDomain ?? groupStyles(groups);

  const margin = 14;
  const method = METHOD_NAMES[embedding.method];
  const title = o.title || `${method} of ${n.toLocaleString('en-US')} images`;
  const subtitle =
    o.subtitle ||
    (groups.names.length === 1 && groups.names[0] === 'points'
      ? 'no labels or predictions'
      : `coloured by ${COLOURING[groups.colorBy]}${byDomain && predictedMarkers(points) ? ' (predicted where unlabelled)' : ''} · ${classCount(points, groups)}`);
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
    : { svg: '', texts: [], width: 0, height: 0, shown: 0 };

  const axisSize = 8;
  const width = Math.ceil(
    Math.max(
      legendX + legend.width + margin,
      margin + textWidth(title, titleSize, true) + margin,
      plotLeft + plotSize + margin,
    ),
  );
  const height = Math.ceil(
    Math.max(plotTop + plotSize + axisSize + 8 + margin, plotTop + legend.height + margin),
  );

  const heading: TextItem[] = [
    { x: margin, y: margin + titleSize, size: titleSize, text: title, bold: true, fill: '#111' },
    { x: margin, y: margin + titleSize + subSize + 5, size: subSize, text: subtitle, fill: '#666' },
    {
      x: cx,
      y: plotTop + plotSize + axisSize + 3,
      size: axisSize,
      text: `${method} 1`,
      fill: '#555',
      anchor: 'middle',
    },
    {
      x: plotLeft - 4,
      y: cy,
      size: axisSize,
      text: `${method} 2`,
      fill: '#555',
      anchor: 'middle',
      rotate: -90,
    },
  ];
  const texts = [...heading, ...legend.texts];
  const faces = facesOf(texts);
  const warnings = fontWarnings(missingGlyphs(texts), faces);
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${cssFontFamily(latinFace())}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    svgText(heading[0]) +
    svgText(heading[1]) +
    `<rect x="${fmt(plotLeft)}" y="${fmt(plotTop)}" width="${fmt(plotSize)}" height="${fmt(plotSize)}" fill="none" stroke="#bbb" stroke-width="0.6"/>` +
    svgText(heading[2]) +
    svgText(heading[3]);
  return {
    svg: `${head}${parts.join('')}${legend.svg}</svg>`,
    widthPt: width,
    heightPt: height,
    title,
    markers,
    texts,
    faces,
    warnings,
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
