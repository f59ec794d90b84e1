/**
 * The torchvision `datasets.ImageFolder` scan (torchvision 0.14 `folder.py`): class folders are the
 * sorted sub-folders of the root (index = position, hidden ones included, as torchvision does), images
 * are every file below a class folder (os.walk with followlinks=True) whose name ends in one of
 * IMG_EXTENSIONS (case-insensitive), ordered by sorting the walk's (dir, files) tuples by dir path and
 * the files within each dir. We add what torchvision lacks: symlink-loop detection, and warnings.
 */
import { readdir, realpath, stat } from 'node:fs/promises';

import { UserError } from '../errors.js';
import type { ClassIndex } from './class-index.js';
import { compareCodePoints, decodeFileName } from './names.js';

/** torchvision.datasets.folder.IMG_EXTENSIONS */
export const IMG_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

export interface DatasetItem {
  /** Path relative to the root, `/`-separated, as Python would print it. */
  path: string;
  /** What to open: a string, or the raw bytes of the path when the name is not valid UTF-8. */
  file: string | Buffer;
  /** Class index (position in the class-index JSON, or among the folders without one). */
  labelId: number;
}

export interface ScannedDataset {
  root: string;
  /** Class folder names in torchvision order. */
  folders: string[];
  /** Label id of each folder. */
  folderLabelIds: number[];
  items: DatasetItem[];
  warnings: string[];
}

interface Entry {
  name: string;
  bytes: Buffer;
  isDir: boolean;
}

async function listDir(dir: Buffer): Promise<Entry[]> {
  const names = (await readdir(dir, { encoding: 'buffer' })) as Buffer[];
  const out: Entry[] = [];
  for (const bytes of names) {
    const full = Buffer.concat([dir, Buffer.from('/'), bytes]);
    let isDir = false;
    try {
      isDir = (await stat(full)).isDirectory(); // follows symlinks, like os.walk(followlinks=True)
    } catch {
      isDir = false; // broken symlink or unreadable: listed as a file, as os.walk does
    }
    out.push({ name: decodeFileName(bytes).name, bytes, isDir });
  }
  return out;
}

export function hasImageExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return IMG_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Scans `root` as torchvision's ImageFolder does. `classIndex` maps folder names to label ids. */
export async function scanImageFolder(
  root: string,
  classIndex: ClassIndex | null = null,
): Promise<ScannedDataset> {
  const warnings: string[] = [];
  let top: Entry[];
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
    top = await listDir(Buffer.from(root));
  } catch (e) {
    throw new UserError(
      `Cannot read the test set folder ${root}: ${(e as Error).message}. --data must be a folder laid out as ` +
        "torchvision's ImageFolder: DATA/<class name>/<image>.",
    );
  }
  const classDirs = top.filter((e) => e.isDir).sort((a, b) => compareCodePoints(a.name, b.name));
  const strayImages = top.filter((e) => !e.isDir && hasImageExtension(e.name)).length;
  if (classDirs.length === 0) {
    throw new UserError(
      `${root} holds no class folders${strayImages ? ` (it holds ${strayImages} images directly)` : ''}. featscope reads ` +
        "torchvision's ImageFolder layout: one sub-folder per class, DATA/<class name>/<image>. Put each image in the " +
        'folder of its true class.',
    );
  }
  if (strayImages > 0)
    warnings.push(
      `${strayImages} image(s) directly in ${root} are ignored (not inside a class folder), as torchvision does.`,
    );
  const hidden = classDirs.filter((d) => d.name.startsWith('.')).map((d) => d.name);
  if (hidden.length > 0) {
    warnings.push(
      `hidden folder(s) ${hidden.join(', ')} count as classes, as in torchvision's ImageFolder; remove them if they are not classes.`,
    );
  }

  const folders = classDirs.map((d) => d.name);
  const folderLabelIds = labelIdsOfFolders(folders, classIndex, root);
  const items: DatasetItem[] = [];
  for (let ci = 0; ci < classDirs.length; ci++) {
    const dirBytes = Buffer.concat([Buffer.from(root), Buffer.from('/'), classDirs[ci].bytes]);
    const walked = await walk(dirBytes, classDirs[ci].name, warnings);
    walked.sort((a, b) => compareCodePoints(a.rel, b.rel));
    let count = 0;
    for (const { rel, bytes, files } of walked) {
      files.sort((a, b) => compareCodePoints(a.name, b.name));
      for (const f of files) {
        if (!hasImageExtension(f.name)) continue;
        const full = Buffer.concat([bytes, Buffer.from('/'), f.bytes]);
        const valid = decodeFileName(full).valid;
        items.push({
          path: `${rel}/${f.name}`,
          file: valid ? full.toString('utf8') : full,
          labelId: folderLabelIds[ci],
        });
        count++;
      }
    }
    if (count === 0)
      warnings.push(
        `class folder "${folders[ci]}" holds no images; its index ${folderLabelIds[ci]} is kept, as torchvision does.`,
      );
  }
  if (items.length === 0) {
    throw new UserError(
      `No images found under ${root}: its ${folders.length} class folder(s) hold no files ending in ${IMG_EXTENSIONS.join(', ')}.`,
    );
  }
  return { root, folders, folderLabelIds, items, warnings };
}

/** Label id of each folder: its index in the class-index file, or its position without one. */
export function labelIdsOfFolders(folders: string[], classIndex: ClassIndex | null, root: string): number[] {
  return folders.map((f, i) => {
    if (!classIndex) return i;
    const id = classIndex.aliases.findIndex((a) => a.includes(f));
    if (id < 0) {
      throw new UserError(
        `The class folder "${f}" in ${root} is not named in the class-index file ${classIndex.source}. Folder names ` +
          `must equal the class names there (e.g. "${classIndex.names[0]}"); rename the folder or fix the JSON.`,
      );
    }
    return id;
  });
}

/** The same scan under a class index: label ids become JSON indices. */
export function relabel(ds: ScannedDataset, classIndex: ClassIndex): ScannedDataset {
  const ids = labelIdsOfFolders(ds.folders, classIndex, ds.root);
  const byOld = new Map(ds.folderLabelIds.map((old, i) => [old, ids[i]]));
  return {
    ...ds,
    folderLabelIds: ids,
    items: ds.items.map((it) => ({ ...it, labelId: byOld.get(it.labelId)! })),
  };
}

interface WalkedDir {
  rel: string;
  bytes: Buffer;
  files: Entry[];
}

/** os.walk(dir, followlinks=True) with loop detection through real paths of the current chain. */
async function walk(start: Buffer, startRel: string, warnings: string[]): Promise<WalkedDir[]> {
  const out: WalkedDir[] = [];
  const stack: { bytes: Buffer; rel: string; chain: Set<string> }[] = [
    { bytes: start, rel: startRel, chain: new Set() },
  ];
  while (stack.length > 0) {
    const { bytes, rel, chain } = stack.pop()!;
    let real: string;
    let entries: Entry[];
    try {
      real = await realpath(bytes, { encoding: 'utf8' });
      entries = await listDir(bytes);
    } catch (e) {
      warnings.push(
        `cannot read folder ${rel}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; skipped.`,
      );
      continue;
    }
    if (chain.has(real)) {
      warnings.push(`folder ${rel} links back to one of its parents (a symlink loop); not followed.`);
      continue;
    }
    const nextChain = new Set(chain).add(real);
    out.push({ rel, bytes, files: entries.filter((e) => !e.isDir) });
    for (const d of entries.filter((e) => e.isDir)) {
      stack.push({
        bytes: Buffer.concat([bytes, Buffer.from('/'), d.bytes]),
        rel: `${rel}/${d.name}`,
        chain: nextChain,
      });
    }
  }
  return out;
}
