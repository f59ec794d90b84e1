/**
 * Several `--data` values, one per domain (`--data source=DIR --data target=DIR`), loaded into one list of
 * images with one class list (classes.ts). A single `--data DIR` is one unnamed domain, as always.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { ClassIndex } from './class-index.js';
import { type ClassesFrom, resolveClasses } from './classes.js';
import type { Split } from './mnist-folder.js';
import { type DataForm, loadDataSource } from './source.js';
import type { SourceItem } from './source-item.js';

const FORM_NAMES: Record<DataForm, string> = {
  'image-folder': 'an ImageFolder',
  'flat-folder': 'a flat folder of images',
  'csv-list': 'a CSV list',
  'mnist-idx': 'an MNIST-family folder',
};

export interface DataSpec {
  /** Domain name; null for a single `--data DIR`. */
  name: string | null;
  root: string;
}

/** `NAME=DIR`: a name without `=`, `/` or `\` (so a path such as `./a=b` is never split). */
const NAMED = /^([^=/\\]+)=(.+)$/s;

/** Parses the `--data` values. Several values must all be NAME=DIR with distinct names. */
export function parseDataSpecs(values: readonly string[]): DataSpec[] {
  if (values.length === 1) {
    const m = NAMED.exec(values[0]);
    // A lone value is a path unless it reads as NAME=DIR and is not itself an existing path.
    return m && !existsSync(values[0])
      ? [{ name: m[1].trim(), root: m[2] }]
      : [{ name: null, root: values[0] }];
  }
  const specs = values.map((v) => {
    const m = NAMED.exec(v);
    if (!m || m[1].trim() === '') {
      throw new UserError(
        `--data is given ${values.length} times, so each value must be NAME=DIR (one domain each, e.g. --data source=data/mnist ` +
          `--data target=data/usps), but "${v}" has no NAME= in front. Names may not hold "=", "/" or "\\".`,
        2,
      );
    }
    return { name: m[1].trim(), root: m[2] };
  });
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name))
      throw new UserError(
        `The domain name "${s.name}" is given twice in --data; give each domain its own name.`,
        2,
      );
    seen.add(s.name);
  }
  return specs;
}

export interface DomainInfo {
  /** The domain's name ("" for a single unnamed --data). */
  name: string;
  root: string;
  form: DataForm;
  /** Images listed (before undecodable ones are skipped). */
  n: number;
  split?: Split;
  dataset?: string | null;
}

export interface LoadedItem extends SourceItem {
  /** Index into `LoadedData.domains`. */
  domain: number;
}

export interface LoadedData {
  items: LoadedItem[];
  domains: DomainInfo[];
  classes: string[];
  classesFrom: ClassesFrom;
  classesDetail: string;
  warnings: string[];
}

export async function loadData(
  specs: readonly DataSpec[],
  split: Split | null,
  fileIndex: ClassIndex | null,
  modelIndex: ClassIndex | null,
): Promise<LoadedData> {
  const sources = [];
  const warnings: string[] = [];
  for (const spec of specs) {
    const source = await loadDataSource(spec.root, split);
    const prefix = spec.name !== null && specs.length > 1 ? `domain "${spec.name}": ` : '';
    warnings.push(...source.warnings.map((w) => prefix + w));
    sources.push({ name: spec.name, source });
  }
  if (split !== null && !sources.some((s) => s.source.form === 'mnist-idx')) {
    const forms = [...new Set(sources.map((s) => FORM_NAMES[s.source.form]))].join(' and ');
    throw new UserError(
      `--split ${split} chooses between the train and test files of torchvision's MNIST-family folders, but --data is ${forms}. ` +
        'Drop --split, or point --data at a folder holding the IDX files (e.g. data/FashionMNIST).',
    );
  }
  const classes = resolveClasses(sources, fileIndex, modelIndex, warnings);
  const items: LoadedItem[] = [];
  sources.forEach((s, d) => {
    const ids = classes.labelIds[d];
    s.source.items.forEach((it, i) => {
      items.push({ ...it, labelId: ids[i], domain: d });
    });
  });
  return {
    items,
    domains: sources.map((s) => ({
      name: s.name ?? '',
      root: s.source.root,
      form: s.source.form,
      n: s.source.items.length,
      ...(s.source.split ? { split: s.source.split, dataset: s.source.dataset ?? null } : {}),
    })),
    classes: classes.names,
    classesFrom: classes.from,
    classesDetail: classes.detail,
    warnings,
  };
}

/** The `--data` of the classify options as specs: a plain string is one unnamed domain. */
export function toDataSpecs(data: string | readonly DataSpec[]): DataSpec[] {
  return typeof data === 'string' ? [{ name: null, root: data }] : [...data];
}

/** How the data is shown to the user: the root, or `name=root, name=root` for several domains. */
export function describeData(data: string | readonly DataSpec[]): string {
  return toDataSpecs(data)
    .map((s) => (s.name === null ? s.root : `${s.name}=${s.root}`))
    .join(', ');
}
