/**
 * A flat folder of unlabelled images: every file directly in the folder whose name ends in one of
 * torchvision's image extensions, sorted by code point as ImageFolder sorts (label ids are all -1).
 */
import { readdir, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { hasImageExtension } from './image-folder.js';
import { compareCodePoints, decodeFileName } from './names.js';
import type { SourceItem } from './source-item.js';

export async function scanFlatFolder(root: string, names: Buffer[]): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for (const bytes of names) {
    const { name, valid } = decodeFileName(bytes);
    if (!hasImageExtension(name)) continue;
    const full = Buffer.concat([Buffer.from(root), Buffer.from('/'), bytes]);
    items.push({ path: name, file: valid ? full.toString('utf8') : full, labelId: -1 });
  }
  if (items.length === 0) throw new UserError(`No images found in ${root}.`);
  return items.sort((a, b) => compareCodePoints(a.path, b.path));
}

/** Lists a folder's entries as raw names, split into sub-folders and other entries (symlinks followed). */
export async function listEntries(root: string): Promise<{ dirs: string[]; files: Buffer[] }> {
  const names = (await readdir(Buffer.from(root), { encoding: 'buffer' })) as Buffer[];
  const dirs: string[] = [];
  const files: Buffer[] = [];
  for (const bytes of names) {
    let dir = false;
    try {
      dir = (await stat(Buffer.concat([Buffer.from(root), Buffer.from('/'), bytes]))).isDirectory();
    } catch {
      dir = false; // a broken link counts as a file, as in the ImageFolder scan
    }
    if (dir) dirs.push(decodeFileName(bytes).name);
    else files.push(bytes);
  }
  return { dirs, files };
}
