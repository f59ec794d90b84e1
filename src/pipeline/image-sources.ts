/**
 * Where each row's image comes from, for thumbnails: the data is listed again (cheap next to decoding)
 * and rows are matched by domain and path, so a run whose inference was reused, and `featscope plot`,
 * find the same files, or the same in-memory pixels for MNIST-family IDX data.
 */
import type { DataSpec } from '../dataset/domains.js';
import type { Split } from '../dataset/mnist-folder.js';
import { loadDataSource } from '../dataset/source.js';
import type { RawImage } from '../preprocess/transform.js';

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
  const byKey = new Map<string, ImageSource>();
  for (let d = 0; d < specs.length; d++) {
    const source = await loadDataSource(specs[d].root, split);
    for (const it of source.items)
      byKey.set(`${d}\t${it.path}`, it.pixels ? { pixels: it.pixels } : { file: it.file });
  }
  return paths.map((p, i) => byKey.get(`${domainIds ? domainIds[i] : 0}\t${p}`) ?? null);
}
