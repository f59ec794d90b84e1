/**
 * Class-index JSON: `{"0": "cat", "1": "dog"}` (torchvision/Keras style), a plain list `["cat", "dog"]`,
 * or ImageNet's `imagenet_class_index.json` style `{"0": ["n01440764", "tench"]}` where either the
 * WordNet id (the usual folder name) or the human name may match a folder; the last element is the
 * display name.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

export interface ClassIndex {
  /** Display names in index order. */
  names: string[];
  /** Every name a folder may carry for each index (display name and, for ImageNet style, the id). */
  aliases: string[][];
  source: string;
}

export async function loadClassIndex(file: string): Promise<ClassIndex> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `Cannot read the class-index file ${file}: ${(e as Error).message}. Check the --classes path.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(
      `The class-index file ${file} is not valid JSON (${(e as Error).message}). It should look like {"0": "cat", "1": "dog"}.`,
    );
  }
  return parseClassIndex(json, file);
}

export function parseClassIndex(json: unknown, source: string): ClassIndex {
  const bad = (why: string): never => {
    throw new UserError(
      `The class-index file ${source} ${why}. It should map every index 0..C-1 to a class name, ` +
        'like {"0": "cat", "1": "dog"} (or ImageNet\'s {"0": ["n01440764", "tench"]}).',
    );
  };
  let entries: [number, unknown][];
  if (Array.isArray(json)) entries = json.map((v, i) => [i, v]);
  else if (json !== null && typeof json === 'object') {
    entries = Object.entries(json).map(([k, v]) => {
      if (!/^\d+$/.test(k)) bad(`has the key "${k}", which is not a class index`);
      return [Number(k), v];
    });
  } else return bad('is not a JSON object or list');
  if (entries.length === 0) bad('is empty');
  entries.sort((a, b) => a[0] - b[0]);
  entries.forEach(([k], i) => {
    if (k !== i) bad(`has no entry for index ${i} (indices must run 0..${entries.length - 1} without gaps)`);
  });
  const names: string[] = [];
  const aliases: string[][] = [];
  for (const [k, v] of entries) {
    const list =
      typeof v === 'string'
        ? [v]
        : Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0
          ? (v as string[])
          : null;
    if (!list) return bad(`maps index ${k} to ${JSON.stringify(v)}, not a name`);
    names.push(list[list.length - 1]);
    aliases.push(list);
  }
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const j = seen.get(n);
    if (j === undefined) {
      seen.set(n, i);
      return;
    }
    // ImageNet's index names "crane" and "maillot" twice; their ids tell them apart.
    if (aliases[i].length < 2) bad(`names "${n}" twice (indices ${j} and ${i})`);
    names[i] = `${n} (${aliases[i][0]})`;
  });
  return { names, aliases, source };
}

/** The class list a model carries in its `featscope.classes` metadata (a JSON list or index object), if any. */
export function classIndexFromMetadata(json: string | undefined, modelPath: string): ClassIndex | null {
  if (!json) return null;
  try {
    return parseClassIndex(JSON.parse(json), `${modelPath} (featscope.classes metadata)`);
  } catch {
    return null;
  }
}
