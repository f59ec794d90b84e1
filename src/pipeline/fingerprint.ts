/**
 * Cache keys. A stage's outputs are reused when its key equals the one recorded in run.json:
 * the model by content hash, the images by path, size and modification time (hashing 70k images would
 * cost as much as decoding them), options by their resolved JSON.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { DatasetItem } from '../dataset/image-folder.js';

export function sha256(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Hash of every image's path, size and mtime, in scan order (stat errors are part of the key). */
export async function datasetFingerprint(items: DatasetItem[]): Promise<string> {
  const h = createHash('sha256');
  const CHUNK = 256;
  for (let i = 0; i < items.length; i += CHUNK) {
    const stats = await Promise.all(
      items.slice(i, i + CHUNK).map(async (it) => {
        try {
          const s = await stat(it.file);
          return `${it.path}\t${it.labelId}\t${s.size}\t${s.mtimeMs}\n`;
        } catch (e) {
          return `${it.path}\t${it.labelId}\t${(e as NodeJS.ErrnoException).code}\n`;
        }
      }),
    );
    for (const line of stats) h.update(line);
  }
  return h.digest('hex');
}

/** Stable JSON (sorted keys) for hashing option objects. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
