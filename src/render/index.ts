// Public API of the renderers: re-exports only.
export type {
  PointSet,
  Embedding,
  ColorBy,
  ClassificationSummary,
  EmbeddingMetrics,
  ReportEmbedding,
  ReportFile,
  ReportData,
} from './types.js';
export { computeClassificationSummary } from './summary.js';
export { validatePoints } from './validate.js';
export { groupPoints, effectiveColorBy, type PointGroups } from './groups.js';
export { escapeXml, jsonForScript } from './escape.js';
export { hlsPalette, classPalette, hlsToRgb } from './static/palette.js';
export { MARKER_SHAPES, markerFor, type MarkerShape } from './static/markers.js';
export { renderFigureSvg, buildFigureSvg, METHOD_NAMES, type FigureSvg } from './static/figure-svg.js';
export { renderStaticFigure, type StaticFigure } from './static/figure.js';
export { STATIC_FIGURE_DEFAULTS, resolveStaticFigureOptions, type StaticFigureOptions } from './static/options.js';
export { svgToPng, withPhys } from './static/png.js';
export { svgToPdf } from './static/pdf.js';
export { makeThumbnail, makeThumbnails, THUMBNAIL_DEFAULTS, type ThumbnailOptions } from './thumbnails.js';
export { renderInteractivePage, type InteractivePageOptions } from './html/page.js';
export { renderReport } from './html/report.js';
