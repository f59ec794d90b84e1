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

/**
 * Hash of every image's path, label, size and mtime, in scan order (stat errors are part of the key).
 * A file shared by many images (an MNIST-family IDX file) is stat'ed once.
 */
export async function datasetFingerprint(items: DatasetItem[]): Promise<string> {
  const h = createHash('sha256');
  const CHUNK = 256;
  const shared = new Map<string, Promise<string>>();
  const statOf = async (file: string | Buffer): Promise<string> => {
    try {
      const s = await stat(file);
      return `${s.size}\t${s.mtimeMs}`;
    } catch (e) {
      return String((e as NodeJS.ErrnoException).code);
    }
  };
  const cached = (file: string | Buffer): Promise<string> => {
    if (typeof file !== 'string') return statOf(file);
    let p = shared.get(file);
    if (!p) shared.set(file, (p = statOf(file)));
    return p;
  };
  for (let i = 0; i < items.length; i += CHUNK) {
    const lines = await Promise.all(
      items.slice(i, i + CHUNK).map(async (it) => `${it.path}\t${it.labelId}\t${await cached(it.file)}\n`),
    );
    for (const line of lines) h.update(line);
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
