/** Builds the classify stage's options from parsed command-line values (shared by classify and run). */

import { type DataSpec, parseDataSpecs } from '../dataset/domains.js';
import { UserError } from '../errors.js';
import type { LayoutOption } from '../model/input-layout.js';
import { MODEL_DEFAULTS } from '../model/session.js';
import { CLASSIFY_DEFAULTS, type ClassifyOptions } from '../pipeline/classify.js';
import { resolveShard } from '../pipeline/shard.js';
import type { PresetName } from '../preprocess/options.js';
import {
  choiceOption,
  intOption,
  numberListOption,
  type ParsedValues,
  stringListOption,
  stringOption,
} from './parse.js';

export function classifyOptionsFrom(v: ParsedValues): ClassifyOptions {
  const channels = choiceOption(v, 'channels', ['1', '3'] as const);
  return {
    model: stringOption(v, 'model')!,
    data: dataOption(v),
    split: choiceOption(v, 'split', ['train', 'test'] as const) ?? CLASSIFY_DEFAULTS.split,
    layer: stringOption(v, 'layer') ?? MODEL_DEFAULTS.layer,
    output: stringOption(v, 'output') ?? MODEL_DEFAULTS.output,
    layout: layoutOptionFrom(v),
    classes: stringOption(v, 'classes') ?? CLASSIFY_DEFAULTS.classes,
    topK: intOption(v, 'top-k') ?? CLASSIFY_DEFAULTS.topK,
    batchSize: intOption(v, 'batch-size') ?? CLASSIFY_DEFAULTS.batchSize,
    strict: Boolean(v.strict),
    threads: intOption(v, 'threads') ?? MODEL_DEFAULTS.threads,
    decodeThreads: autoIntOption(v, 'decode-threads') ?? CLASSIFY_DEFAULTS.decodeThreads,
    executionProvider:
      choiceOption(v, 'execution-provider', ['cpu', 'cuda'] as const) ?? MODEL_DEFAULTS.executionProvider,
    preprocess: preprocessOptionsFrom(v, channels),
    shard: v.shard === undefined ? CLASSIFY_DEFAULTS.shard : resolveShard(String(v.shard)),
  };
}

/** `--decode-threads N|auto`: a whole number >= 1, or 'auto'. */
function autoIntOption(v: ParsedValues, name: 'decode-threads'): number | 'auto' | undefined {
  if (v[name] === 'auto') return 'auto';
  const raw = v[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1)
    throw new UserError(`--${name} must be a whole number >= 1 or auto (got "${raw}").`, 2);
  return n;
}

/** `--layout nchw|nhwc|auto`. */
export function layoutOptionFrom(v: ParsedValues): LayoutOption {
  return choiceOption<LayoutOption>(v, 'layout', ['auto', 'nchw', 'nhwc']) ?? MODEL_DEFAULTS.layout;
}

export function preprocessOptionsFrom(
  v: ParsedValues,
  channels = choiceOption(v, 'channels', ['1', '3'] as const),
) {
  return {
    preset: choiceOption<PresetName>(v, 'preset', ['auto', 'imagenet', 'grayscale', 'none']) ?? 'auto',
    resize: intOption(v, 'resize'),
    crop: intOption(v, 'crop'),
    mean: numberListOption(v, 'mean'),
    std: numberListOption(v, 'std'),
    channels: channels ? (Number(channels) as 1 | 3) : undefined,
  };
}

/** `--data DIR` (today's single test set) or `--data NAME=DIR` repeated (one domain each). */
function dataOption(v: ParsedValues): string | DataSpec[] {
  const specs = parseDataSpecs(stringListOption(v, 'data'));
  return specs.length === 1 && specs[0].name === null ? specs[0].root : specs;
}
