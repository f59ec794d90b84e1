/**
 * CLI entry: parse, dispatch to a command, print. Exit codes (DESIGN.md section 1): 0 success, 1 user
 * error (one paragraph, no stack trace; FEATSCOPE_DEBUG=1 shows it), 2 usage error, 130 interrupted.
 */
import { CancelledError, UserError } from '../errors.js';
import { FEATSCOPE_VERSION } from '../pipeline/version.js';
import type { CommandContext } from './commands/context.js';
import { commandHelp, generalHelp } from './help.js';
import { type ParsedValues, parseCommandLine } from './parse.js';
import { ProgressDisplay } from './progress-bar.js';

type Command = (v: ParsedValues, ctx: CommandContext) => Promise<number>;

/** Commands load lazily: `layers` should not pay for loading the renderers or the t-SNE engine. */
const HANDLERS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  classify: async () => (await import('./commands/classify.js')).classifyCommand,
  reduce: async () => (await import('./commands/reduce.js')).reduceCommand,
  plot: async () => (await import('./commands/plot.js')).plotCommand,
  layers: async () => (await import('./commands/layers.js')).layersCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write(
      '\nfeatscope: stopping (Ctrl-C again to quit at once); finished outputs are kept, nothing is half-written.\n',
    );
  };
  process.on('SIGINT', onSigint);
  try {
    const { command, values } = parseCommandLine(argv);
    if (command === null) {
      if (values.version) {
        process.stdout.write(`${FEATSCOPE_VERSION}\n`);
        return 0;
      }
      process.stdout.write(`${generalHelp(FEATSCOPE_VERSION)}\n`);
      return values.help ? 0 : 2;
    }
    if (values.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const load = HANDLERS[command];
    if (!load) throw new UserError(`The command "${command}" is not available in this build.`, 2);
    const handler = await load();
    const display = new ProgressDisplay();
    const ctx: CommandContext = {
      progress: display.update,
      signal: controller.signal,
      log: (m) => process.stdout.write(`${m}\n`),
      report: (warnings, skipped = []) => {
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        if (skipped.length > 0) {
          process.stderr.write(
            `skipped ${skipped.length} file(s) that could not be used (listed in run.json):\n`,
          );
          for (const s of skipped.slice(0, 20)) process.stderr.write(`  ${s.path}: ${s.reason}\n`);
          if (skipped.length > 20) process.stderr.write(`  ... and ${skipped.length - 20} more\n`);
        }
      },
    };
    return await handler(values, ctx);
  } catch (e) {
    return reportError(e);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function reportError(e: unknown): number {
  const debug = Boolean(process.env.FEATSCOPE_DEBUG);
  if (e instanceof UserError) {
    process.stderr.write(`featscope: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  if (e instanceof CancelledError) {
    process.stderr.write('featscope: interrupted; outputs finished before the interruption are kept.\n');
    return 130;
  }
  const err = e as Error;
  process.stderr.write(
    `featscope: internal error: ${err?.message ?? String(e)}\nThis is a bug in featscope; please report it with the command you ran` +
      `${debug ? '' : ' (set FEATSCOPE_DEBUG=1 to print the stack trace)'}.\n`,
  );
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}
