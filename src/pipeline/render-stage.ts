/**
 * The render stage: static figures for every 2D map, interactive pages for every map, and the report,
 * all written atomically into the output folder. Takes plain data; used by `run` and `plot`.
 */

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeFolderAtomic } from '../io/atomic.js';
import type { PageColorBy } from '../render/html/page-color-by.js';
import {
  computeDomainSummary,
  effectiveColorBy,
  hasSets,
  renderInteractivePage,
  renderReport,
  renderStaticFigure,
  thumbnailFiles,
} from '../render/index.js';
import type { ColorBy, PointSet, ReportData, ReportFile } from '../render/types.js';
import { embeddingFileName } from './embedding-table.js';
import { pageOnlyColorBy } from './page-color-by.js';
import { type PlotOptions, resolveColorBy, resolveThumbnailMode } from './plot-options.js';
import type { ProgressListener } from './progress.js';
import type { EmbeddingOutput } from './reduce-stage.js';
import { FEATSCOPE_VERSION } from './version.js';

export { PLOT_DEFAULTS, type PlotOptions, resolveColorBy } from './plot-options.js';

/** The folder of thumbnail files next to the pages (when the thumbnails are not inline). */
export const THUMBNAIL_FOLDER = 'thumbnails';

/**
 * Inline thumbnails past this many characters would make a page longer than a JavaScript string
 * can be (V8: about 536 million), so `--thumbnails inline` falls back to a folder, with a warning.
 */
const INLINE_THUMBNAILS_MAX_CHARS = 400_000_000;

/**
 * Where the pages' thumbnails go: recorded in run.json as options.plot.resolvedThumbnails. Pushes a
 * warning when inline thumbnails cannot fit in a page.
 */
export function resolvePageThumbnails(
  plot: PlotOptions,
  points: PointSet,
  warnings?: string[],
): 'inline' | 'folder' | 'none' {
  if (!points.thumbnails) return 'none';
  const mode = resolveThumbnailMode(plot.thumbnailMode, points.n);
  if (mode === 'inline') {
    let chars = 0;
    for (const t of points.thumbnails) chars += t?.length ?? 0;
    if (chars > INLINE_THUMBNAILS_MAX_CHARS) {
      const w = `--thumbnails inline: ${points.n} thumbnails (${Math.round(chars / 1e6)} MB) do not fit in one page, so they were written to ${THUMBNAIL_FOLDER}/ next to the pages.`;
      if (!warnings?.includes(w)) warnings?.push(w);
      return 'folder';
    }
  }
  return mode;
}

const METHOD_TITLE: Record<string, string> = { tsne: 't-SNE', pca: 'PCA', umap: 'UMAP' };

/** How the pages are coloured: --color-by resolved, then what the points hold (see effectiveColorBy). */
export function resolvePageColorBy(plot: PlotOptions, points: PointSet): PageColorBy {
  const pageOnly = pageOnlyColorBy(plot.colorBy, points);
  if (pageOnly) return pageOnly;
  return effectiveColorBy(
    points,
    resolveColorBy(plot.colorBy, points.domains?.names.length ?? 0, hasSets(points)),
  );
}

const MISSING: Record<ColorBy, string> = {
  label: 'labels',
  prediction: 'predictions',
  correct: 'both labels and predictions',
  domain: 'several domains',
  set: 'placed points',
};

/** Everything the report shows besides the maps. */
export type ReportContext = Omit<
  ReportData,
  'embeddings' | 'figure' | 'files' | 'title' | 'n' | 'classes' | 'summary'
> & {
  summary: ReportData['summary'];
  /** Files written by earlier stages (predictions.csv, features.npy). */
  files: ReportFile[];
};

export async function renderOutputs(
  outDir: string,
  points: PointSet,
  embeddings: EmbeddingOutput[],
  report: ReportContext,
  plot: PlotOptions,
  onProgress?: ProgressListener,
  /** Receives what a reader of the figures should know (e.g. characters no font has). */
  warnings?: string[],
): Promise<string[]> {
  const written: string[] = [];
  const files: ReportFile[] = [...report.files];
  const colorBy = resolveColorBy(plot.colorBy, points.domains?.names.length ?? 0, hasSets(points));
  const pageColorBy = resolvePageColorBy(plot, points);
  if (plot.colorBy !== 'auto' && pageColorBy !== plot.colorBy) {
    const missing =
      plot.colorBy === 'confidence'
        ? 'predictions'
        : plot.colorBy === 'set'
          ? 'sets (it is not a placed map)'
          : plot.colorBy.startsWith('metadata:')
            ? `metadata column ${plot.colorBy.slice('metadata:'.length)}`
            : MISSING[colorBy];
    warnings?.push(
      `--color-by ${plot.colorBy}: these points have no ${missing}, so the pages open coloured by ${pageColorBy}.`,
    );
  }
  // Thumbnails as files: written once for all the pages, before them, so a page never points at
  // files that are not there yet. A folder left by an earlier run with inline thumbnails goes.
  const thumbMode = resolvePageThumbnails(plot, points, warnings);
  if (thumbMode === 'folder') {
    await writeFolderAtomic(join(outDir, THUMBNAIL_FOLDER), thumbnailFiles(points.thumbnails!));
    files.push({
      href: `${THUMBNAIL_FOLDER}/`,
      description: 'thumbnails the pages load on hover (keep next to them)',
    });
  } else {
    await rm(join(outDir, THUMBNAIL_FOLDER), { recursive: true, force: true });
  }
  let figure: ReportData['figure'] = null;
  const total = embeddings.length + embeddings.filter((e) => e.dims === 2).length + 1;
  let done = 0;
  const tick = () => onProgress?.({ stage: 'render', done: ++done, total, unit: 'files' });
  onProgress?.({ stage: 'render', done: 0, total, unit: 'files' });
  const dataset = report.dataRoot ? ` of ${points.n} images` : ` of ${points.n} points`;
  for (const e of embeddings) {
    const title = `${METHOD_TITLE[e.method]} ${e.dims}D${dataset}`;
    files.push({ href: e.file, description: `${METHOD_TITLE[e.method]} ${e.dims}D coordinates (CSV)` });
    const embedding = { method: e.method, dims: e.dims, coords: e.coords };
    if (e.dims === 2) {
      // The figure is coloured by label, or by domain (the domain-adaptation figure) or set (placed
      // points), with a marker per class; --color-by sets the pages.
      const fig = await renderStaticFigure(points, embedding, {
        title,
        colorBy: colorBy === 'domain' || colorBy === 'set' ? colorBy : 'label',
      });
      for (const w of fig.warnings) if (!warnings?.includes(w)) warnings?.push(w);
      for (const [ext, data] of [
        ['svg', fig.svg],
        ['png', fig.png],
        ['pdf', fig.pdf],
      ] as const) {
        const f = embeddingFileName(e.method, 2, ext);
        await writeFileAtomic(join(outDir, f), data);
        written.push(f);
        files.push({
          href: f,
          description: `${METHOD_TITLE[e.method]} 2D figure (${ext.toUpperCase()}${ext === 'png' ? ', 300 dpi' : ''})`,
        });
      }
      figure ??= { svg: fig.svg, caption: title };
      tick();
    }
    const page = renderInteractivePage(points, embedding, {
      colorBy: pageColorBy,
      title,
      featscopeVersion: FEATSCOPE_VERSION,
      thumbnails: thumbMode === 'folder' ? { folder: THUMBNAIL_FOLDER } : 'inline',
    });
    const html = embeddingFileName(e.method, e.dims, 'html');
    await writeFileAtomic(join(outDir, html), page);
    written.push(html);
    files.push({ href: html, description: `${METHOD_TITLE[e.method]} ${e.dims}D interactive map` });
    tick();
  }
  files.push({ href: 'run.json', description: 'run manifest: options, timings, metrics, skipped files' });
  const data: ReportData = {
    ...report,
    title: `featscope report:${dataset.replace(' of ', ' ')}`,
    featscopeVersion: FEATSCOPE_VERSION,
    n: points.n,
    classes: points.classes,
    embeddings: embeddings.map((e) => ({
      method: e.method,
      dims: e.dims,
      metrics: e.metrics,
      seconds: e.seconds,
      pageHref: embeddingFileName(e.method, e.dims, 'html'),
    })),
    figure,
    files,
    domains: computeDomainSummary(points),
  };
  await writeFileAtomic(join(outDir, 'index.html'), renderReport(data));
  written.push('index.html');
  tick();
  return written;
}
