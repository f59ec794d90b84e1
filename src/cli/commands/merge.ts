import { merge } from '../../pipeline/merge.js';
import type { ParsedValues } from '../parse.js';
import type { CommandContext } from './context.js';

export async function mergeCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const out = v.out as string;
  const r = await merge({ out, onProgress: ctx.progress, signal: ctx.signal });
  ctx.report(r.warnings, r.skipped);
  ctx.log(
    `merged ${r.parts} parts (${r.manifest.data!.n} images) into ${out}: ${r.files.join(', ')}\n` +
      `next: featscope run with the parts' arguments (without --shard) reuses them and makes the maps and pages`,
  );
  return 0;
}
