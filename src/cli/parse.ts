/** argv -> {command, values}, validated against the option table. Usage errors exit with code 2. */
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { COMMANDS, OPTIONS, type OptionName, type OptionSpec } from './options.js';

export type ParsedValues = Partial<Record<OptionName, string | boolean | string[]>>;

export interface ParsedArgs {
  command: string | null;
  values: ParsedValues;
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (!first || first.startsWith('-')) {
    const { values } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
      strict: false,
    });
    return { command: null, values: values as ParsedValues };
  }
  const spec = COMMANDS[first];
  if (!spec) {
    throw new UserError(
      `Unknown command "${first}". Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`featscope --help\`.`,
      2,
    );
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of spec.options) {
    const o: OptionSpec = OPTIONS[name];
    options[name] = o.multiple ? { type: o.type, multiple: true } : { type: o.type };
  }
  let values: ParsedValues;
  try {
    values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as ParsedValues;
  } catch (e) {
    throw new UserError(
      `${(e as Error).message.replace(/\. To specify.*$/s, '')}. Run \`featscope ${first} --help\` for its options.`,
      2,
    );
  }
  if (!values.help) {
    const missing = spec.required.filter((r) => values[r] === undefined);
    if (missing.length > 0) {
      throw new UserError(
        `featscope ${first} needs ${missing.map((m) => `--${m}`).join(', ')}. Usage: ${spec.usage}`,
        2,
      );
    }
  }
  return { command: first, values };
}

/** A positive (or >= min) integer option, or undefined when absent. */
export function intOption(values: ParsedValues, name: OptionName, min = 1): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) {
    throw new UserError(`--${name} must be a whole number >= ${min} (got "${v}").`, 2);
  }
  return n;
}

export function numberOption(values: ParsedValues, name: OptionName): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UserError(`--${name} must be a positive number (got "${v}").`, 2);
  }
  return n;
}

export function numberListOption(values: ParsedValues, name: OptionName): number[] | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const parts = String(v)
    .split(',')
    .map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((x) => !Number.isFinite(x))) {
    throw new UserError(`--${name} must be comma-separated numbers like 0.485,0.456,0.406 (got "${v}").`, 2);
  }
  return parts;
}

export function choiceOption<T extends string>(
  values: ParsedValues,
  name: OptionName,
  choices: readonly T[],
): T | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!choices.includes(v as T))
    throw new UserError(`--${name} must be one of ${choices.join(', ')} (got "${v}").`, 2);
  return v as T;
}

export function choiceListOption<T extends string>(
  values: ParsedValues,
  name: OptionName,
  choices: readonly T[],
): T[] | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const list = String(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = list.filter((x) => !choices.includes(x as T));
  if (list.length === 0 || bad.length > 0)
    throw new UserError(`--${name} takes a comma-separated list of ${choices.join(', ')} (got "${v}").`, 2);
  return [...new Set(list)] as T[];
}

export function stringOption(values: ParsedValues, name: OptionName): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values in command-line order (empty when absent). */
export function stringListOption(values: ParsedValues, name: OptionName): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
