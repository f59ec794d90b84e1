import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { decodeNpyMatrix } from '../../io/npy.js';
import { FEATURES_FILE, PREDICTIONS_FILE } from '../../pipeline/classify-outputs.js';
import { readEmbeddingCsv } from '../../pipeline/embedding-table.js';
import { readManifest, writeManifest } from '../../pipeline/manifest.js';
import { buildPointSet, featureNeighbors, thumbnailsFor } from '../../pipeline/points.js';
import { readPredictionsCsv } from '../../pipeline/predictions-table.js';
import type { EmbeddingOutput, Method } from '../../pipeline/reduce-stage.js';
import { renderOutputs } from '../../pipeline/render-stage.js';
import { computeClassificationSummary } from '../../render/index.js';
import type { ParsedValues } from '../parse.js';
import { plotOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';

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
  const preds = await readPredictionsCsv(join(dir, PREDICTIONS_FILE), { probs: false, signal: ctx.signal });
  const n = preds.paths.length;
  const feats = existsSync(join(dir, FEATURES_FILE))
    ? decodeNpyMatrix(await readFile(join(dir, FEATURES_FILE)), FEATURES_FILE)
    : null;
  const neighbors = feats && feats.rows === n ? featureNeighbors(feats.data, n, feats.cols) : undefined;
  const root = manifest.data?.root;
  const thumbnails =
    plot.thumbnails && root && existsSync(root)
      ? await thumbnailsFor(root, preds.paths, ctx.progress, ctx.signal)
      : undefined;
  const embeddings: EmbeddingOutput[] = [];
  for (const e of manifest.embeddings) {
    const { coords } = await readEmbeddingCsv(join(dir, e.file), e.dims, e.file);
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
  );
  await writeManifest(dir, { ...manifest, options: { ...manifest.options, plot } });
  ctx.log(`re-drew ${files.length} files in ${dir}; report: ${join(dir, 'index.html')}`);
  return 0;
}
