import { classify } from '../../pipeline/classify.js';
import { classifyManifestPart } from '../../pipeline/classify-manifest.js';
import { writeClassifyOutputs } from '../../pipeline/classify-outputs.js';
import { writeManifest } from '../../pipeline/manifest.js';
import { prepareOutputDir } from '../../pipeline/output-dir.js';
import { FEATSCOPE_VERSION } from '../../pipeline/version.js';
import { classifyOptionsFrom } from '../inference-options.js';
import type { ParsedValues } from '../parse.js';
import type { CommandContext } from './context.js';
import { partCommand } from './part.js';

export async function classifyCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const options = classifyOptionsFrom(v);
  const out = v.out as string;
  if (options.shard) return partCommand({ ...options, shard: options.shard }, out, 'classify', ctx);
  await prepareOutputDir(out);
  const started = performance.now();
  const r = await classify({ ...options, onProgress: ctx.progress, signal: ctx.signal });
  const seconds = (performance.now() - started) / 1000;
  const files = await writeClassifyOutputs(out, r);
  await writeManifest(out, {
    featscope: FEATSCOPE_VERSION,
    command: 'classify',
    createdAt: new Date().toISOString(),
    ...classifyManifestPart(options, r),
    stages: { classify: seconds },
    outputs: [...files, 'run.json'],
  });
  ctx.report(r.warnings, r.skipped);
  const labelled = r.labelIds.reduce((a, l) => a + (l >= 0 ? 1 : 0), 0);
  const hits = r.labelIds.reduce((a, l, i) => a + (l >= 0 && l === r.topIds[i * r.k] ? 1 : 0), 0);
  const accuracy = labelled > 0 ? `top-1 accuracy ${((hits / labelled) * 100).toFixed(2)}%` : 'no labels';
  ctx.log(
    `classified ${r.paths.length} images (${r.imagesPerSecond.toFixed(0)} images/s), ${accuracy}, ` +
      `features ${r.featureDim}-d from ${r.layer.modulePath ?? r.layer.tensor}\nwrote ${files.join(', ')}, run.json to ${out}`,
  );
  return 0;
}
