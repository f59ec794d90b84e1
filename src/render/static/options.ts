import type { ColorBy } from '../types.js';

/** Options of the static figure (SVG/PNG/PDF). Lengths are in points (1/72 inch) unless stated. */
export interface StaticFigureOptions {
  /** What colours the points; falls back when the data lacks labels or predictions. */
  colorBy?: ColorBy;
  /** Main title; default "<method> of <N> images". */
  title?: string;
  /** Smaller grey line under the title; default describes the colouring. */
  subtitle?: string;
  /** Side of the square plot area, in inches. */
  plotInches?: number;
  /** Raster resolution of the PNG, dots per inch. */
  dpi?: number;
  /** Marker "radius" in points (area of a circle of this radius), or 'auto' from N. */
  markerSize?: number | 'auto';
  /** Marker fill opacity in (0, 1], or 'auto' from N. */
  alpha?: number | 'auto';
  /** Most legend columns before the legend lists only the largest classes. */
  maxLegendColumns?: number;
  /** Seed of the drawing order (points are drawn shuffled so no class always sits on top). */
  seed?: number;
}

export const STATIC_FIGURE_DEFAULTS: Readonly<Required<StaticFigureOptions>> = Object.freeze({
  colorBy: 'label',
  title: '',
  subtitle: '',
  // 5 in fits a single journal column with the legend beside it at 100% scale.
  plotInches: 5,
  // The issue asks for 300 dpi, the usual minimum for print.
  dpi: 300,
  markerSize: 'auto',
  alpha: 'auto',
  maxLegendColumns: 3,
  seed: 0,
});

export interface ResolvedStaticFigureOptions {
  colorBy: ColorBy;
  title: string;
  subtitle: string;
  plotInches: number;
  dpi: number;
  markerSize: number;
  alpha: number;
  maxLegendColumns: number;
  seed: number;
}

/**
 * Fills defaults and resolves 'auto'. Marker radius shrinks as 1/sqrt(N) so the total inked area
 * stays about constant (3 pt at 2k points, 0.8 pt at 70k, in a 5 in plot), and opacity falls with
 * log N so dense cores still show structure instead of a solid blob.
 */
export function resolveStaticFigureOptions(
  n: number,
  opts: StaticFigureOptions = {},
): ResolvedStaticFigureOptions {
  const d = STATIC_FIGURE_DEFAULTS;
  const plotInches = opts.plotInches ?? d.plotInches;
  const markerSizeOpt = opts.markerSize ?? d.markerSize;
  const alphaOpt = opts.alpha ?? d.alpha;
  const scale = plotInches / 5;
  const markerSize =
    markerSizeOpt === 'auto'
      ? Math.min(3.2, Math.max(0.75, (135 / Math.sqrt(Math.max(n, 1))) * scale))
      : markerSizeOpt;
  const alpha =
    alphaOpt === 'auto'
      ? Math.min(0.9, Math.max(0.45, 0.9 - 0.22 * Math.log10(Math.max(n, 1000) / 1000)))
      : alphaOpt;
  return {
    colorBy: opts.colorBy ?? d.colorBy,
    title: opts.title ?? d.title,
    subtitle: opts.subtitle ?? d.subtitle,
    plotInches,
    dpi: opts.dpi ?? d.dpi,
    markerSize,
    alpha,
    maxLegendColumns: opts.maxLegendColumns ?? d.maxLegendColumns,
    seed: opts.seed ?? d.seed,
  };
}
