/** Reduction and plot options from parsed command-line values (shared by run, reduce, plot, demo). */

import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { PLOT_DEFAULTS, type PlotOptions } from '../pipeline/plot-options.js';
import { type Method, REDUCE_DEFAULTS, type ReduceStageOptions } from '../pipeline/reduce-stage.js';
import {
  choiceListOption,
  choiceOption,
  intOption,
  numberOption,
  type ParsedValues,
  stringOption,
} from './parse.js';

export function reduceOptionsFrom(v: ParsedValues): ReduceStageOptions {
  const dims = choiceListOption(v, 'dims', ['2', '3'] as const);
  return {
    methods: choiceListOption<Method>(v, 'method', ['tsne', 'pca', 'umap']) ?? [...REDUCE_DEFAULTS.methods],
    dims: dims ? (dims.map(Number) as (2 | 3)[]) : [...REDUCE_DEFAULTS.dims],
    perplexity: numberOption(v, 'perplexity') ?? REDUCE_DEFAULTS.perplexity,
    iterations: intOption(v, 'iterations', 1) ?? REDUCE_DEFAULTS.iterations,
    seed: intOption(v, 'seed', 0) ?? REDUCE_DEFAULTS.seed,
    threads: intOption(v, 'threads') ?? REDUCE_DEFAULTS.threads,
    fitSample: intOption(v, 'fit-sample', 1) ?? REDUCE_DEFAULTS.fitSample,
  };
}

export function plotOptionsFrom(v: ParsedValues): PlotOptions {
  if (v['no-thumbnails'] && v.thumbnails !== undefined) {
    throw new UserError(
      `--thumbnails ${String(v.thumbnails)} and --no-thumbnails contradict each other: give one of them ` +
        '(--no-thumbnails draws the pages without images).',
      2,
    );
  }
  const column = /^metadata:(.+)$/.exec(stringOption(v, 'color-by') ?? '')?.[1];
  return {
    colorBy: column
      ? `metadata:${column}`
      : (choiceOption(v, 'color-by', [
          'label',
          'prediction',
          'correct',
          'domain',
          'confidence',
          'set',
          'metadata:COLUMN',
        ] as const) ?? PLOT_DEFAULTS.colorBy),
    thumbnails: v['no-thumbnails'] ? false : PLOT_DEFAULTS.thumbnails,
    // Absolute, so that run.json's record of it still finds the file from another folder (plot reuses it).
    metadata: metadataPath(stringOption(v, 'metadata')) ?? PLOT_DEFAULTS.metadata,
    thumbnailMode:
      choiceOption(v, 'thumbnails', ['inline', 'folder', 'auto'] as const) ?? PLOT_DEFAULTS.thumbnailMode,
  };
}

function metadataPath(file: string | undefined): string | undefined {
  return file === undefined || file === '' ? file : resolve(file);
}
