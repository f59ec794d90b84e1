// Public API of the renderers: re-exports only.

export { escapeXml, jsonForScript } from './escape.js';
export { effectiveColorBy, groupPoints, hasSets, type PointGroups } from './groups.js';
export { type InteractivePageOptions, renderInteractivePage } from './html/page.js';
export { isPageOnlyColorBy, type PageColorBy } from './html/page-color-by.js';
export type { PageData, PageThumbnails } from './html/page-data.js';
export { readPageData } from './html/page-read.js';
export { renderReport } from './html/report.js';
export { THUMBNAIL_EXT_LIST, thumbnailFilePath, thumbnailFiles } from './html/thumbnail-files.js';
export { renderStaticFigure, type StaticFigure } from './static/figure.js';
export { buildFigureSvg, type FigureSvg, METHOD_NAMES, renderFigureSvg } from './static/figure-svg.js';
export { MARKER_SHAPES, type MarkerShape, markerFor } from './static/markers.js';
export {
  resolveStaticFigureOptions,
  STATIC_FIGURE_DEFAULTS,
  type StaticFigureOptions,
} from './static/options.js';
export { classPalette, hlsPalette, hlsToRgb } from './static/palette.js';
export { svgToPdf } from './static/pdf.js';
export { svgToPng, withPhys } from './static/png.js';
export { computeClassificationSummary, computeDomainSummary } from './summary.js';
export { makeThumbnail, makeThumbnails, THUMBNAIL_DEFAULTS, type ThumbnailOptions } from './thumbnails.js';
export type {
  ClassificationSummary,
  ColorBy,
  Embedding,
  EmbeddingMetrics,
  MetadataColumn,
  PointSet,
  ReportData,
  ReportEmbedding,
  ReportFile,
} from './types.js';
export { validatePoints } from './validate.js';
