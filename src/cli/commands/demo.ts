import { fileURLToPath } from 'node:url';
import { MODEL_DEFAULTS } from '../../model/session.js';
import { CLASSIFY_DEFAULTS } from '../../pipeline/classify.js';
import { runPipeline } from '../../pipeline/run.js';
import type { ParsedValues } from '../parse.js';
import { plotOptionsFrom, reduceOptionsFrom } from '../reduce-options.js';
import type { CommandContext } from './context.js';
import { summaryLines } from './run.js';

/** The bundled example, resolved from this file (src/cli/commands or dist/cli/commands). */
export const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/fashion-mnist/', import.meta.url));

/** `featscope demo`: the whole job on 2,000 Fashion-MNIST test images with the bundled CNN. */
export async function demoCommand(v: ParsedValues, ctx: CommandContext): Promise<number> {
  const out = (v.out as string | undefined) ?? 'featscope-demo';
  const r = await runPipeline({
    classify: {
      ...CLASSIFY_DEFAULTS,
      ...MODEL_DEFAULTS,
      threads: reduceOptionsFrom(v).threads,
      model: `${EXAMPLE_DIR}model.onnx`,
      data: `${EXAMPLE_DIR}data`,
      classes: `${EXAMPLE_DIR}classes.json`,
      // The model carries its preprocessing (grayscale, mean 0.2860, std 0.3530) as metadata.
      preprocess: { preset: 'auto' },
    },
    out,
    reduce: reduceOptionsFrom(v),
    plot: plotOptionsFrom(v),
    force: Boolean(v.force),
    onProgress: ctx.progress,
    signal: ctx.signal,
  });
  ctx.report(r.warnings, r.skipped);
  ctx.log(summaryLines(r.manifest).join('\n'));
  ctx.log(`\nOpen the report in a browser: ${r.reportPath}`);
  return 0;
}
