import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSpec } from '../../dataset/domains.js';
import { UserError } from '../../errors.js';
import { decodeNpyMatrix } from '../../io/npy.js';
import { FEATURES_FILE, PREDICTIONS_FILE } from '../../pipeline/classify-outputs.js';
import { parseEmbeddingCsv } from '../../pipeline/embedding-table.js';
import { imageSourcesFor } from '../../pipeline/image-sources.js';
import { type RunManifest, readManifest, writeManifest } from '../../pipeline/manifest.js';
import { buildPointSet, featureNeighbors, thumbnailsFor } from '../../pipeline/points.js';
import { type Predictions, parsePredictionsCsv } from '../../pipeline/predictions-table.js';
import type { EmbeddingOutput, Method } from '../../pipeline/reduce-stage.js';
import { renderOutputs, resolveColorBy } from '../../pipeline/render-stage.js';
import { computeClassificationSummary } from '../../render/index.js';
import type { ParsedValues } from '../parse.js';
import { plotOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';

/**
 * The images of a run as its run.json recorded them (every domain's root, the MNIST split), or null
 * when they can no longer be read: the pages are then drawn without thumbnails.
 */
async function recordedImageSources(manifest: RunManifest, preds: Predictions) {
  const domains = manifest.data?.domains;
  const specs: DataSpec[] = domains
    ? domains.map((d) => ({ name: d.name === '' ? null : d.name, root: d.root }))
    : manifest.data?.root
      ? [{ name: null, root: manifest.data.root }]
      : [];
  if (specs.length === 0 || !specs.every((s) => existsSync(s.root))) return null;
  const split = domains?.find((d) => d.split)?.split ?? null;
  try {
    // predictions.csv lists domains by name; map them to the recorded --data order.
    const d = preds.domains;
    const ids = d
      ? Int32Array.from(d.ids, (id) => specs.findIndex((s) => s.name === d.names[id]))
      : undefined;
    return await imageSourcesFor(specs, split, preds.paths, ids);
  } catch {
    return null;
  }
}

/** `featscope plot --run OUT`: re-draws figures, pages and the report from a finished run folder. */
export async function plotCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const dir = v.run as string;
  const plot = plotOptionsFrom(v);
  const manifest = await readManifest(dir);
  if (
    !manifest ||
    !manifest.embeddings ||
    manifest.embeddings.length === 0 ||
    !existsSync(join(dir, PREDICTIONS_FILE))
  ) {
    throw new UserError(
      `${dir} is not a finished featscope run (it needs run.json with embeddings and ${PREDICTIONS_FILE}). Run \`featscope run\` first.`,
    );
  }
  const preds = parsePredictionsCsv(
    await readFile(join(dir, PREDICTIONS_FILE), 'utf8'),
    join(dir, PREDICTIONS_FILE),
  );
  const n = preds.paths.length;
  const feats = existsSync(join(dir, FEATURES_FILE))
    ? decodeNpyMatrix(await readFile(join(dir, FEATURES_FILE)), FEATURES_FILE)
    : null;
  const neighbors = feats && feats.rows === n ? featureNeighbors(feats.data, n, feats.cols) : undefined;
  const root = manifest.data?.root;
  const sources = plot.thumbnails ? await recordedImageSources(manifest, preds) : null;
  const thumbnails = sources ? await thumbnailsFor(sources, ctx.progress, ctx.signal) : undefined;
  const embeddings: EmbeddingOutput[] = [];
  for (const e of manifest.embeddings) {
    const coords = parseEmbeddingCsv(await readFile(join(dir, e.file), 'utf8'), e.dims, e.file);
    if (coords.length !== n * e.dims)
      throw new UserError(
        `${join(dir, e.file)} has ${coords.length / e.dims} rows but ${PREDICTIONS_FILE} has ${n}.`,
      );
    embeddings.push({
      method: e.method as Method,
      dims: e.dims as 2 | 3,
      coords,
      seconds: e.seconds,
      resolved: e.resolved,
      warnings: [],
      metrics: e.metrics as unknown as EmbeddingOutput['metrics'],
      reused: true,
      cacheKey: e.cacheKey,
      file: e.file,
    });
  }
  const points = buildPointSet(preds, neighbors, thumbnails);
  const warnings: string[] = [];
  const files = await renderOutputs(
    dir,
    points,
    embeddings,
    {
      createdAt: manifest.createdAt,
      model: {
        path: manifest.model?.path ?? '',
        sha256: manifest.model?.sha256,
        layer: manifest.model?.layerModulePath ?? manifest.model?.layer,
        featureDims: feats?.cols,
      },
      dataRoot: root ?? null,
      summary: computeClassificationSummary(points),
      options: { ...manifest.options, plot },
      stageSeconds: manifest.stages,
      skipped: manifest.data?.skipped ?? [],
      files: [
        {
          href: PREDICTIONS_FILE,
          description: 'predictions: top-k and every class confidence per image (CSV)',
        },
        ...(feats
          ? [
              {
                href: FEATURES_FILE,
                description: `features [${feats.rows}, ${feats.cols}] float32 (NumPy .npy)`,
              },
            ]
          : []),
      ],
    },
    plot,
    ctx.progress,
    warnings,
  );
  ctx.report(warnings);
  const resolvedColorBy = resolveColorBy(plot.colorBy, points.domains?.names.length ?? 0);
  await writeManifest(dir, {
    ...manifest,
    options: { ...manifest.options, plot: { ...plot, resolvedColorBy } },
    warnings: [...new Set([...(manifest.warnings ?? []), ...warnings])],
  });
  ctx.log(`re-drew ${files.length} files in ${dir}; report: ${join(dir, 'index.html')}`);
  return 0;
}
