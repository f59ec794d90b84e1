/**
 * The IDX format of the MNIST family (LeCun et al., "THE MNIST DATABASE", section FILE FORMATS):
 * a big-endian magic 0x0000TTNN (TT = 0x08 for unsigned bytes, NN = number of dimensions), NN big-endian
 * uint32 sizes, then the values in C order. Gzipped files (as downloaded, or as Debian ships them)
 * are inflated first.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';

export interface IdxArray {
  /** Size of each dimension, e.g. [10000, 28, 28]. */
  shape: number[];
  /** The values, C order (a view into the file's bytes). */
  data: Uint8Array;
}

/** Decodes IDX bytes; `source` names the file in errors. Throws a UserError on a bad or truncated file. */
export function decodeIdx(bytes: Uint8Array, source: string): IdxArray {
  const bad = (why: string): never => {
    throw new UserError(
      `${source} is not a usable IDX file: ${why}. Download it again (torchvision's datasets.MNIST(root, download=True) ` +
        'or the dataset package) or point --data at an intact copy.',
    );
  };
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) bad('it does not start with the IDX magic 00 00');
  if (bytes[2] !== 0x08)
    bad(`its value type is 0x${bytes[2].toString(16)} (only unsigned bytes, 0x08, are read)`);
  const dims = bytes[3];
  const offset = 4 + 4 * dims;
  if (dims === 0 || bytes.length < offset) bad('its header is cut short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(dv.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - offset < count)
    bad(
      `it is truncated: shape [${shape.join(', ')}] needs ${count} bytes of values but it holds ${bytes.length - offset}`,
    );
  return { shape, data: bytes.subarray(offset, offset + count) };
}

/** Reads an IDX file (`.gz` or not: gzip is recognised by its magic bytes). */
export async function readIdxFile(file: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UserError(`Cannot read the IDX file ${file}: ${(e as Error).message}.`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new UserError(
        `${file} is a damaged gzip file (${(e as Error).message}). Download it again or point --data at an intact copy.`,
      );
    }
  }
  return decodeIdx(bytes, file);
}
