/**
 * Reader for the IDX format of (Fashion-)MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 * big-endian magic 0x0000TTNN (TT = 0x08 for unsigned bytes, NN = number of dimensions), NN big-endian
 * uint32 sizes, then the values. Gzipped files (as Debian ships them) are inflated first.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  /** Sizes of each dimension, e.g. [60000, 28, 28]. */
  shape: number[];
  data: Uint8Array;
}

export function readIdxFile(path: string): IdxArray {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return decodeIdx(bytes, path);
}

export function decodeIdx(bytes: Uint8Array, source = 'idx data'): IdxArray {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || dv.getUint16(0) !== 0) throw new Error(`${source}: not an IDX file`);
  const type = bytes[2];
  const dims = bytes[3];
  if (type !== 0x08)
    throw new Error(`${source}: IDX type 0x${type.toString(16)} unsupported (only unsigned bytes)`);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(dv.getUint32(4 + 4 * i));
  const offset = 4 + 4 * dims;
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - offset < count)
    throw new Error(`${source}: truncated (${bytes.length - offset} < ${count})`);
  return { shape, data: bytes.subarray(offset, offset + count) };
}
