/**
 * Options of the render stage, apart from the renderers themselves, so that option parsing (the CLI)
 * does not load the figure and page code.
 */
import { UserError } from '../errors.js';
import { isPageOnlyColorBy, type PageColorBy } from '../render/html/page-color-by.js';
import type { ColorBy } from '../render/types.js';

export interface PlotOptions {
  /**
   * 'auto': by domain when the points come from several domains, else by label (see resolveColorBy).
   * The pages can also open coloured by 'confidence', 'set' or a metadata column ('metadata:NAME');
   * the static figure then keeps its 'auto' colouring.
   */
  colorBy: PageColorBy | 'auto';
  thumbnails: boolean;
  /** A CSV of extra columns per image, joined on `path` (see metadata-file.ts); null for none. */
  metadata?: string | null;
  /**
   * Where the pages' thumbnails go: 'inline' (data URIs inside each page: one self-contained file),
   * 'folder' (files in `thumbnails/` next to the pages, loaded on hover), or 'auto' (see
   * resolveThumbnailMode).
   */
  thumbnailMode: ThumbnailMode | 'auto';
}

export type ThumbnailMode = 'inline' | 'folder';

export const PLOT_DEFAULTS: Readonly<PlotOptions> = Object.freeze({
  colorBy: 'auto',
  thumbnails: true,
  metadata: null,
  thumbnailMode: 'auto',
});

/**
 * Checks `--color-by metadata:NAME` against the metadata columns (null without --metadata) before
 * any work, as a usage error.
 */
export function checkMetadataColorBy(colorBy: PlotOptions['colorBy'], columns: string[] | null): void {
  if (!colorBy.startsWith('metadata:')) return;
  const name = colorBy.slice('metadata:'.length);
  if (columns === null)
    throw new UserError(`--color-by ${colorBy} needs --metadata FILE.csv with a column named ${name}.`, 2);
  if (!columns.includes(name))
    throw new UserError(
      `--color-by ${colorBy}: the metadata file has no column ${name}; its columns are ${columns.join(', ')}.`,
      2,
    );
}

/**
 * Up to this many points, 'auto' puts the thumbnails inside the pages. Measured with `bench/pages`
 * (bench/README.md, "Interactive pages"): at 50,000 points an inline page is about 27 MB
 * and opens in about a second from disk; past that every page of the run repeats tens of megabytes
 * of the same thumbnails and opening slows in proportion, while a folder costs nothing until hover.
 */
export const INLINE_THUMBNAILS_MAX_POINTS = 50_000;

/** Resolves 'auto' for n points: inline up to INLINE_THUMBNAILS_MAX_POINTS, else a folder. */
export function resolveThumbnailMode(mode: PlotOptions['thumbnailMode'], n: number): ThumbnailMode {
  if (mode !== 'auto') return mode;
  return n <= INLINE_THUMBNAILS_MAX_POINTS ? 'inline' : 'folder';
}

/**
 * Resolves 'auto': a map of several domains is first of all the domain-adaptation figure (do the
 * domains overlap?), so it is coloured by domain with a marker per class; a map with placed points
 * (`placed`) likewise by set (where did the new points land?); otherwise by true label
 * (the renderers fall back to the prediction when there are no labels).
 */
export function resolveColorBy(
  colorBy: PlotOptions['colorBy'],
  domainCount: number,
  placed = false,
): ColorBy {
  if (isPageOnlyColorBy(colorBy)) colorBy = 'auto';
  if (colorBy === 'domain' && domainCount < 2) {
    throw new UserError(
      '--color-by domain needs points from several domains: give --data once per domain, as NAME=DIR ' +
        '(e.g. --data source=DIR1 --data target=DIR2), or colour by label, prediction or correct.',
      2,
    );
  }
  if (colorBy === 'set' && !placed) {
    throw new UserError(
      '--color-by set needs a map with placed points: make one with --reference REF_OUT or --fit-sample M, or colour by label, prediction, correct or domain.',
      2,
    );
  }
  if (colorBy !== 'auto') return colorBy;
  return domainCount > 1 ? 'domain' : placed ? 'set' : 'label';
}
