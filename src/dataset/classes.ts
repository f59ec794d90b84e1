/**
 * One class list for every `--data` source (one per domain), and each image's label id in it.
 * The list is, in this order of preference:
 * 1. `--classes FILE.json`: names (or aliases) map labels to indices; a CSV label that is not a name
 *    but a whole number is read as an index;
 * 2. the model's `featscope.classes` metadata, when it names every label of every source;
 * 3. the data's own list: torchvision's classes of an MNIST-family folder, the class folders of an
 *    ImageFolder (sorted, index = position, as torchvision), the sorted distinct labels of a CSV list.
 *    Several sources must agree; sources labelled by name only (folders, CSV) that list different
 *    classes get the sorted union, with a warning.
 */
import { UserError } from '../errors.js';
import type { ClassIndex } from './class-index.js';
import { compareCodePoints } from './names.js';
import type { DataSource } from './source.js';

export type ClassesFrom = 'classes-file' | 'model-metadata' | 'data';

export interface ResolvedClasses {
  /** Class names in index order (before naming any further model outputs class_<i>). */
  names: string[];
  from: ClassesFrom;
  /** Where the names came from, in words (recorded in run.json). */
  detail: string;
  /** Label id of every item of every source, in the class list (-1 = unlabelled). */
  labelIds: Int32Array[];
}

export interface NamedSource {
  /** Domain name, or null for a single unnamed --data. */
  name: string | null;
  source: DataSource;
}

function where(s: NamedSource): string {
  return s.name === null ? s.source.root : `domain "${s.name}" (${s.source.root})`;
}

function what(s: DataSource): string {
  return s.form === 'image-folder' ? 'class folder' : 'label';
}

/** The source's own ordered class list (a CSV list's labels sorted by code point). */
function ownList(s: DataSource): string[] {
  return s.order === 'seen' ? [...s.labelNames].sort(compareCodePoints) : s.labelNames;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Maps one source's labels into `index`; throws naming the first label that has no class. */
function mapByIndex(s: NamedSource, index: ClassIndex, allowIds: boolean, listName: string): Int32Array {
  const src = s.source;
  if (src.labelsAreIds) return checkIds(s, index.names.length, listName);
  const lookup = new Map<string, number>();
  index.aliases.forEach((list, i) => {
    for (const a of list) if (!lookup.has(a)) lookup.set(a, i);
  });
  const ids = src.labelNames.map((name) => {
    const id = lookup.get(name);
    if (id !== undefined) return id;
    if (allowIds && /^\d+$/.test(name) && Number(name) < index.names.length) return Number(name);
    throw new UserError(
      `The ${what(src)} "${name}" in ${where(s)} is not named in ${listName}. ` +
        (src.form === 'image-folder'
          ? `Folder names must equal the class names there (e.g. "${index.names[0]}"); rename the folder or fix the JSON.`
          : `Labels must be class names from that list (e.g. "${index.names[0]}")${allowIds ? ' or class indices 0..' + (index.names.length - 1) : ''}; fix the label or the JSON.`),
    );
  });
  return remap(src, ids);
}

function remap(src: DataSource, ids: number[]): Int32Array {
  return Int32Array.from(src.items, (it) => (it.labelId < 0 ? -1 : ids[it.labelId]));
}

function checkIds(s: NamedSource, count: number, listName: string): Int32Array {
  const out = Int32Array.from(s.source.items, (it) => it.labelId);
  const max = out.reduce((a, b) => Math.max(a, b), -1);
  if (max >= count) {
    throw new UserError(
      `${where(s)} has labels up to ${max}, but ${listName} names only ${count} classes. Pass a --classes file with every class.`,
    );
  }
  return out;
}

function namesAll(sources: NamedSource[], index: ClassIndex): boolean {
  return sources.every((s) =>
    s.source.labelsAreIds
      ? s.source.items.every((it) => it.labelId < index.names.length)
      : s.source.labelNames.every((n) => index.aliases.some((a) => a.includes(n))),
  );
}

export function resolveClasses(
  sources: NamedSource[],
  fileIndex: ClassIndex | null,
  modelIndex: ClassIndex | null,
  warnings: string[],
): ResolvedClasses {
  if (fileIndex) {
    return {
      names: fileIndex.names,
      from: 'classes-file',
      detail: fileIndex.source,
      labelIds: sources.map((s) =>
        mapByIndex(s, fileIndex, true, `the class-index file ${fileIndex.source}`),
      ),
    };
  }
  if (modelIndex && namesAll(sources, modelIndex)) {
    return {
      names: modelIndex.names,
      from: 'model-metadata',
      detail: modelIndex.source,
      labelIds: sources.map((s) => mapByIndex(s, modelIndex, false, modelIndex.source)),
    };
  }
  if (modelIndex) {
    const unnamed = sources.flatMap((s) =>
      s.source.labelsAreIds
        ? []
        : s.source.labelNames.filter((n) => !modelIndex.aliases.some((a) => a.includes(n))),
    );
    warnings.push(
      `${modelIndex.source} does not name ${unnamed.length ? `the label(s) ${unnamed.slice(0, 3).join(', ')}` : 'every label id'}, ` +
        "so the data's own classes are used; pass --classes to map labels to the model's outputs.",
    );
  }
  const labelled = sources.filter((s) => s.source.labelNames.length > 0);
  const byId = labelled.filter((s) => s.source.labelsAreIds);
  let names: string[];
  let detail: string;
  if (byId.length > 0) {
    // An MNIST-family dataset's class list wins; CSV ids only need to fit in it.
    const idx = byId.filter((s) => s.source.form === 'mnist-idx');
    const ref =
      idx[0] ?? byId.reduce((a, b) => (b.source.labelNames.length > a.source.labelNames.length ? b : a));
    names = ref.source.labelNames;
    const other = idx.find((s) => !sameList(s.source.labelNames, names));
    if (other) {
      throw new UserError(
        `${where(ref)} and ${where(other)} are different datasets with different classes ` +
          `(${names.slice(0, 3).join(', ')}, ... vs ${other.source.labelNames.slice(0, 3).join(', ')}, ...). ` +
          'Pass --classes FILE.json to say which class list the model uses.',
      );
    }
    detail = ref.source.dataset
      ? `torchvision's ${ref.source.dataset} classes`
      : `the label ids of ${ref.source.root}`;
  } else if (labelled.length === 0) {
    names = [];
    detail = 'none (no labels in the data)';
  } else {
    const lists = labelled.map((s) => ownList(s.source));
    if (lists.every((l) => sameList(l, lists[0]))) {
      names = lists[0];
      detail =
        labelled[0].source.form === 'image-folder'
          ? 'class folders, sorted (torchvision ImageFolder)'
          : 'distinct labels of the CSV list, sorted';
    } else {
      names = [...new Set(lists.flat())].sort(compareCodePoints);
      detail = "union of the domains' class folders and labels, sorted";
      warnings.push(
        `the domains list different classes (${labelled.map((s) => `${s.name}: ${s.source.labelNames.length}`).join(', ')}); ` +
          `classes are their sorted union (${names.length}). Pass --classes with the model's class-index JSON if the model's indices differ.`,
      );
    }
  }
  const index: ClassIndex = { names, aliases: names.map((n) => [n]), source: detail };
  const labelIds = sources.map((s) => {
    if (s.source.labelsAreIds) return checkIds(s, names.length, detail);
    return mapByIndex(s, index, false, detail);
  });
  return { names, from: 'data', detail, labelIds };
}
