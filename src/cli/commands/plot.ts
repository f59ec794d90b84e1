import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES_FILE, PREDICTIONS_FILE } from '../../pipeline/classify-outputs.js';
import { fileSources, recordedImageSources } from '../../pipeline/image-sources.js';
import { readManifest, writeManifest } from '../../pipeline/manifest.js';
import { loadMapFolder } from '../../pipeline/map-folder.js';
import { joinMetadata, loadPlotMetadata, recordedMetadataFile } from '../../pipeline/metadata-file.js';
import { missingThumbnailsWarning, pageNeighbors, thumbnailsFor } from '../../pipeline/points.js';
import { toManifestEmbedding } from '../../pipeline/reduce-stage.js';
import { renderOutputs, resolvePageColorBy, resolvePageThumbnails } from '../../pipeline/render-stage.js';
import { FEATSCOPE_VERSION } from '../../pipeline/version.js';
import { computeClassificationSummary } from '../../render/index.js';
import type { ParsedValues } from '../parse.js';
import { plotOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';

/**
 * `featscope plot --run DIR`: draws the figures, pages and report of any folder holding a map: a
 * finished run, the output of `reduce`, or just `tsne-2d.csv` (with `features.npy` for neighbours).
 */
export async function plotCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const dir = v.run as string;
  const plot = plotOptionsFrom(v);
  const recorded = await readManifest(dir);
  const early: string[] = [];
  // Without --metadata, the file the run recorded: redrawn pages keep their metadata columns.
  if (v.metadata === undefined) plot.metadata = recordedMetadataFile(recorded, early);
  const metadataTable = await loadPlotMetadata(plot, ctx.signal);
  const f = await loadMapFolder(dir, ctx.signal);
  const { points, manifest, features } = f;
  const warnings = [...early, ...f.warnings];
  if (metadataTable) {
    const joined = joinMetadata(metadataTable, points.paths);
    points.metadata = joined.metadata;
    if (joined.warning) warnings.push(joined.warning);
  }
  const found = features
    ? await pageNeighbors(features.data, points.n, features.cols, { threads: 'auto' })
    : undefined;
  points.neighbors = found && { k: found.k, indices: found.indices };
  if (plot.thumbnails) {
    // A classify run's images as it recorded them (every domain, MNIST pixels); else files by path.
    const sources =
      (await recordedImageSources(manifest, points.paths, points.domains)) ??
      (f.root && existsSync(f.root) ? fileSources(f.root, points.paths) : null);
    if (sources) {
      points.thumbnails = await thumbnailsFor(sources, ctx.progress, ctx.signal);
      const missing = missingThumbnailsWarning(points.paths, points.thumbnails, f.root ?? dir);
      if (missing) warnings.push(missing);
    }
  }
  const files = await renderOutputs(
    dir,
    points,
    f.embeddings,
    {
      createdAt: manifest?.createdAt,
      model: {
        path: manifest?.model?.path ?? '',
        sha256: manifest?.model?.sha256,
        layer: manifest?.model?.layerModulePath ?? manifest?.model?.layer,
        featureDims: features?.cols,
      },
      dataRoot: f.root,
      // Without predictions (features and labels from elsewhere) the report has no accuracy section.
      summary: points.k > 0 ? computeClassificationSummary(points) : null,
      options: { ...manifest?.options, plot },
      stageSeconds: manifest?.stages ?? {},
      skipped: manifest?.data?.skipped ?? [],
      files: [
        ...(f.fromPredictions
          ? [
              {
                href: PREDICTIONS_FILE,
                description: 'predictions: top-k and every class confidence per image (CSV)',
              },
            ]
          : []),
        ...(features
          ? [
              {
                href: FEATURES_FILE,
                description: `features [${features.rows}, ${features.cols}] float32 (NumPy .npy)`,
              },
            ]
          : []),
      ],
    },
    plot,
    ctx.progress,
    warnings,
  );
  const resolvedColorBy = resolvePageColorBy(plot, points);
  const resolvedThumbnails = resolvePageThumbnails(plot, points);
  await writeManifest(dir, {
    featscope: FEATSCOPE_VERSION,
    command: 'plot',
    createdAt: new Date().toISOString(),
    stages: {},
    metrics: {},
    embeddings: f.embeddings.map(toManifestEmbedding),
    outputs: [],
    ...manifest,
    warnings: [...new Set([...(manifest?.warnings ?? []), ...warnings])],
    options: { ...manifest?.options, plot: { ...plot, resolvedColorBy, resolvedThumbnails } },
  });
  ctx.report([...new Set(warnings)]);
  ctx.log(`drew ${files.length} files in ${dir}; report: ${join(dir, 'index.html')}`);
  return 0;
}
