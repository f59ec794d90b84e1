import type { Embedding, PointSet } from '../types.js';
import { buildFigureSvg } from './figure-svg.js';
import { resolveStaticFigureOptions, type StaticFigureOptions } from './options.js';
import { svgToPdf } from './pdf.js';
import { svgToPng } from './png.js';

/** The three files of a static figure. */
export interface StaticFigure {
  svg: string;
  /** PNG at `dpi` (default 300): pixel width = figure width in inches x dpi, pHYs chunk set. */
  png: Uint8Array;
  pdf: Uint8Array;
  /** Figure size in points (1/72 in). */
  widthPt: number;
  heightPt: number;
  /** Problems a reader would see (characters no font has) or fonts taken from this machine. */
  warnings: string[];
}

/** Builds the SVG scene once and converts it to PNG (resvg) and PDF (pdfkit). */
export async function renderStaticFigure(
  points: PointSet,
  embedding: Embedding,
  opts: StaticFigureOptions = {},
): Promise<StaticFigure> {
  const { svg, widthPt, heightPt, title, markers, texts, faces, warnings } = buildFigureSvg(
    points,
    embedding,
    opts,
  );
  const dpi = resolveStaticFigureOptions(points.n, opts).dpi;
  const png = svgToPng(svg, (widthPt / 72) * dpi, dpi, faces);
  const pdf = await svgToPdf(svg, widthPt, heightPt, title, { markers, texts, faces, warnings });
  return { svg, png, pdf, widthPt, heightPt, warnings };
}
