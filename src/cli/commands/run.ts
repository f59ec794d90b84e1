import { runPipeline } from '../../pipeline/run.js';
import { classifyOptionsFrom } from '../inference-options.js';
import type { ParsedValues } from '../parse.js';
import { plotOptionsFrom, reduceOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';
import { partCommand } from './part.js';

export async function runCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const classify = classifyOptionsFrom(v);
  // A map of a fraction of the test set is not what anyone wants: a part does its classify share only.
  if (classify.shard) return partCommand({ ...classify, shard: classify.shard }, v.out as string, 'run', ctx);
  const reduce = reduceOptionsFrom(v);
  const r = await runPipeline({
    classify,
    out: v.out as string,
    reduce,
    plot: plotOptionsFrom(v),
    force: Boolean(v.force),
    reference:
      typeof v.reference === 'string'
        ? {
            dir: v.reference,
            methods: v.method === undefined ? null : reduce.methods,
            dims: v.dims === undefined ? null : reduce.dims,
          }
        : null,
    onProgress: ctx.progress,
    signal: ctx.signal,
  });
  ctx.report(r.warnings, r.skipped);
  ctx.log(summaryLines(r.manifest).join('\n'));
  ctx.log(`report: ${r.reportPath}`);
  return 0;
}

export function summaryLines(m: import('../../pipeline/manifest.js').RunManifest): string[] {
  const lines: string[] = [];
  const acc = m.metrics.accuracy as number | null | undefined;
  if (m.data)
    lines.push(
      `${m.data.n} images, ${m.data.classes.length} classes${acc != null ? `, top-1 accuracy ${(acc * 100).toFixed(2)}%` : ''}`,
    );
  for (const [stage, s] of Object.entries(m.stages))
    lines.push(
      `  ${stage.padEnd(20)} ${s.toFixed(1)} s${m.reused?.[stage.replace(' ', '-').toLowerCase()] ? ' (reused)' : ''}`,
    );
  if (m.reused && Object.keys(m.reused).length > 0)
    lines.push(`reused from the previous run: ${Object.keys(m.reused).join(', ')}`);
  return lines;
}
