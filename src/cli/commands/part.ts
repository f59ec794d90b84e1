/** `featscope classify|run --shard ...`: make one part (src/pipeline/classify-part.ts) and say what comes next. */
import type { ClassifyOptions } from '../../pipeline/classify.js';
import { classifyPart } from '../../pipeline/classify-part.js';
import type { ShardSpec } from '../../pipeline/shard.js';
import type { CommandContext } from './context.js';

export async function partCommand(
  options: ClassifyOptions & { shard: ShardSpec },
  out: string,
  command: 'classify' | 'run',
  ctx: CommandContext,
): Promise<number> {
  const { index, count } = options.shard;
  const r = await classifyPart({ classify: options, out, onProgress: ctx.progress, signal: ctx.signal });
  ctx.report(r.warnings, r.result?.skipped ?? []);
  const s = r.manifest.shard!;
  const part = `part ${index} of ${count} (rows ${s.start}..${s.end - 1} of ${s.total})`;
  if (r.outcome === 'done')
    process.stderr.write(
      `featscope: ${part} is already done in ${r.dir}; skipping it (delete that folder to redo it).\n`,
    );
  else if (r.outcome === 'taken')
    process.stderr.write(
      `featscope: another process finished ${part} first; its copy in ${r.dir} is kept and this one discarded.\n`,
    );
  else
    ctx.log(
      `${part}: classified ${r.manifest.data!.n} images (${r.result!.imagesPerSecond.toFixed(0)} images/s)\nwrote ${r.dir}`,
    );
  ctx.log(
    `when all ${count} parts are done: featscope merge --out ${out}` +
      (command === 'run'
        ? `, then this command without --shard (it reuses the merged inference and makes the maps and pages; a part only classifies, as a map needs every image)`
        : ''),
  );
  return 0;
}
