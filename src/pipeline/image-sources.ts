/**
 * Where each row's image comes from, for thumbnails: the data is listed again (cheap next to decoding)
 * and rows are matched by domain and path, so a run whose inference was reused, and `featscope plot`,
 * find the same files, or the same in-memory pixels for MNIST-family IDX data.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataSpec } from '../dataset/domains.js';
import type { Split } from '../dataset/mnist-folder.js';
import { loadDataSource } from '../dataset/source.js';
import type { SourceItem } from '../dataset/source-item.js';
import type { RawImage } from '../preprocess/transform.js';
import type { RunManifest } from './manifest.js';

export type ImageSource = { file: string | Buffer } | { pixels: RawImage };

/**
 * One source per row (null where the row's image is no longer listed). `domainIds` gives each row's
 * index into `specs` (absent = every row in the first one).
 */
export async function imageSourcesFor(
  specs: readonly DataSpec[],
  split: Split | null,
  paths: readonly string[],
  domainIds?: Int32Array,
): Promise<(ImageSource | null)[]> {
  const items: ListedImage[] = [];
  for (let d = 0; d < specs.length; d++) {
    for (const it of (await loadDataSource(specs[d].root, split)).items) items.push({ ...it, domain: d });
  }
  return sourcesFromItems(items, paths, domainIds);
}

/** An image as a data listing holds it, with the index of its domain. */
type ListedImage = Pick<SourceItem, 'path' | 'file' | 'pixels'> & { domain: number };

/** One source per row, matched by domain and path among `items` (null where no item matches). */
export function sourcesFromItems(
  items: readonly ListedImage[],
  paths: readonly string[],
  domainIds?: Int32Array,
): (ImageSource | null)[] {
  const byKey = new Map<string, ImageSource>();
  for (const it of items)
    byKey.set(`${it.domain}\t${it.path}`, it.pixels ? { pixels: it.pixels } : { file: it.file });
  return paths.map((p, i) => byKey.get(`${domainIds ? domainIds[i] : 0}\t${p}`) ?? null);
}

/** Image files named by paths relative to `root` (or absolute); an empty path has no image. */
export function fileSources(root: string, paths: readonly string[]): (ImageSource | null)[] {
  return paths.map((p) => (p === '' ? null : { file: resolve(root, p) }));
}

/**
 * The images of a classify run as its run.json recorded them (every domain's root, the MNIST split),
 * matched to `paths` (and to each row's domain by name); null when the run recorded no data or its
 * data can no longer be read, so that the pages are drawn without thumbnails.
 */
export async function recordedImageSources(
  manifest: RunManifest | null,
  paths: readonly string[],
  domains?: { names: string[]; ids: Int32Array },
): Promise<(ImageSource | null)[] | null> {
  const recorded = manifest?.data?.domains;
  if (!recorded || recorded.length === 0) return null;
  const specs: DataSpec[] = recorded.map((d) => ({ name: d.name === '' ? null : d.name, root: d.root }));
  if (!specs.every((s) => existsSync(s.root))) return null;
  const split = recorded.find((d) => d.split)?.split ?? null;
  try {
    // Tables list domains by name; map them to the recorded --data order.
    const ids = domains
      ? Int32Array.from(domains.ids, (id) => specs.findIndex((s) => s.name === domains.names[id]))
      : undefined;
    return await imageSourcesFor(specs, split, paths, ids);
  } catch {
    return null;
  }
}
