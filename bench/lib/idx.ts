/**
 * Synchronous reader for the IDX files of (Fashion-)MNIST, for the benchmarks' data preparation; the
 * format is decoded by featscope's own reader (src/dataset/idx.ts). Gzipped files (as Debian ships
 * them) are inflated first.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeIdx, type IdxArray } from '../../src/dataset/idx.js';

export type { IdxArray };

export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return decodeIdx(bytes, path);
}
