/**
 * CLI entry: parse, dispatch to a command, print. Exit codes (docs/architecture.md section 1): 0 success, 1 user
 * error (one paragraph, no stack trace; FEATSCOPE_DEBUG=1 shows it), 2 usage error, 130 interrupted by
 * Ctrl-C (SIGINT), 143 stopped by SIGTERM (what `timeout`, Slurm and Kubernetes send): 128 + the signal
 * number, as a shell reports a process killed by that signal.
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
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  reduce: async () => (await import('./commands/reduce.js')).reduceCommand,
  plot: async () => (await import('./commands/plot.js')).plotCommand,
  layers: async () => (await import('./commands/layers.js')).layersCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

/** Exit code for a run stopped by each signal (128 + the signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  let stoppedBy: StopSignal | null = null;
  const onSignal = (signal: StopSignal) => {
    if (stoppedBy !== null) process.exit(SIGNAL_EXIT_CODES[stoppedBy]);
    stoppedBy = signal;
    controller.abort();
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal';
    process.stderr.write(
      `\nfeatscope: ${signal === 'SIGINT' ? 'stopping' : 'stopping on SIGTERM'} (${again} to quit at once); finished outputs are kept, nothing is half-written.\n`,
    );
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
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
    return reportError(e, stoppedBy ?? 'SIGINT');
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

function reportError(e: unknown, stoppedBy: StopSignal): number {
  const debug = Boolean(process.env.FEATSCOPE_DEBUG);
  if (e instanceof UserError) {
    process.stderr.write(`featscope: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  if (e instanceof CancelledError) {
    process.stderr.write(
      `featscope: interrupted${stoppedBy === 'SIGTERM' ? ' (SIGTERM)' : ''}; outputs finished before the interruption are kept.\n`,
    );
    return SIGNAL_EXIT_CODES[stoppedBy];
  }
  const err = e as Error;
  process.stderr.write(
    `featscope: internal error: ${err?.message ?? String(e)}\nThis is a bug in featscope; please report it with the command you ran` +
      `${debug ? '' : ' (set FEATSCOPE_DEBUG=1 to print the stack trace)'}.\n`,
  );
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}
