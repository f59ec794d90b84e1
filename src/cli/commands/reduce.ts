import { readFile } from 'node:fs/promises';
import { UserError } from '../../errors.js';
import { decodeNpyMatrix } from '../../io/npy.js';
import { sha256 } from '../../pipeline/fingerprint.js';
import { writeManifest } from '../../pipeline/manifest.js';
import { prepareOutputDir } from '../../pipeline/output-dir.js';
import { readPredictionsCsv } from '../../pipeline/predictions-table.js';
import { computeEmbeddings, toManifestEmbedding } from '../../pipeline/reduce-stage.js';
import { FEATSCOPE_VERSION } from '../../pipeline/version.js';
import { validateFeatures } from '../../reduce/index.js';
import type { ParsedValues } from '../parse.js';
import { reduceOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';

/** `featscope reduce`: embeddings of any feature matrix, with labels from a predictions table if given. */
export async function reduceCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const file = v.features as string;
  const out = v.out as string;
  const options = reduceOptionsFrom(v);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UserError(
      `Cannot read the features file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
    );
  }
  const m = decodeNpyMatrix(bytes, file);
  // Fails early with the file name in the message; the per-method warnings come from reduceEmbedding.
  validateFeatures(m.data, m.rows, m.cols, file);
  const warnings: string[] = [];
  let labels = null;
  if (typeof v.labels === 'string') {
    const p = await readPredictionsCsv(v.labels, { probs: false, signal: ctx.signal });
    if (p.paths.length !== m.rows) {
      throw new UserError(
        `${v.labels} has ${p.paths.length} rows but ${file} has ${m.rows}; they must describe the same images in the same order.`,
      );
    }
    labels = {
      paths: p.paths,
      classes: p.classes,
      labelIds: p.labelIds,
      predIds: p.k > 0 ? Int32Array.from({ length: m.rows }, (_, i) => p.topIds[i * p.k]) : null,
      predConf: p.k > 0 ? Float32Array.from({ length: m.rows }, (_, i) => p.topConf[i * p.k]) : null,
    };
  }
  await prepareOutputDir(out);
  const hash = sha256(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  const embeddings = await computeEmbeddings(
    out,
    m.data,
    m.rows,
    m.cols,
    hash,
    labels,
    options,
    new Map(),
    ctx.progress,
    ctx.signal,
  );
  for (const e of embeddings) warnings.push(...e.warnings);
  await writeManifest(out, {
    featscope: FEATSCOPE_VERSION,
    command: 'reduce',
    createdAt: new Date().toISOString(),
    features: { file, n: m.rows, dim: m.cols },
    options: { reduce: options, labels: v.labels ?? null, featuresDtype: m.dtype },
    stages: Object.fromEntries(embeddings.map((e) => [`${e.method} ${e.dims}D`, e.seconds])),
    metrics: { embeddings: Object.fromEntries(embeddings.map((e) => [`${e.method}-${e.dims}d`, e.metrics])) },
    embeddings: embeddings.map(toManifestEmbedding),
    warnings,
    outputs: [...embeddings.map((e) => e.file), 'run.json'],
  });
  ctx.report([...new Set(warnings)]);
  for (const e of embeddings) {
    const q = e.metrics;
    ctx.log(
      `${e.file}: ${m.rows} points in ${e.seconds.toFixed(1)} s, trustworthiness@10 ${q.trustworthiness?.toFixed(4) ?? '-'}` +
        `${q.knnLabelAccuracy != null ? `, 10-NN label accuracy ${q.knnLabelAccuracy.toFixed(4)}` : ''}`,
    );
  }
  return 0;
}
