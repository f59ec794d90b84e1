/**
 * Distinct thumbnails for a million points, cheaply: an indexed-colour 28x28 PNG per point whose
 * one palette colour is a hash of the point's index (so hover can check that the image shown is the
 * hovered point's), padded with a private ancillary chunk (browsers skip it) to the size of a real
 * Fashion-MNIST WebP thumbnail, so page and folder sizes are those of a real run.
 */
import { crc32, deflateSync } from 'node:zlib';

/** Bytes of a real 28x28 Fashion-MNIST thumbnail at WebP quality 70 (about 370). */
export const THUMB_BYTES = 370;

/** The colour of point i's thumbnail: a hash spread over the whole cube. */
export function colourOf(i: number): [number, number, number] {
  let h = Math.imul(i + 1, 2654435761) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 2246822519) >>> 0;
  h ^= h >>> 13;
  return [h & 255, (h >>> 8) & 255, (h >>> 16) & 255];
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIDE = 28;
const head = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk(
    'IHDR',
    Uint8Array.from([0, 0, 0, SIDE, 0, 0, 0, SIDE, 1, 3, 0, 0, 0]), // 1-bit indexed colour
  ),
]);
const idat = chunk('IDAT', deflateSync(Buffer.alloc(SIDE * (1 + Math.ceil(SIDE / 8)))));
const iend = chunk('IEND', new Uint8Array(0));
const fillerLength = Math.max(0, THUMB_BYTES - head.length - 15 - idat.length - iend.length - 12);
const filler = chunk(
  'ffPd',
  Uint8Array.from({ length: fillerLength }, (_, j) => (j * 7919) % 251),
);

/** Point i's thumbnail as a data URI. */
export function thumbnailUri(i: number): string {
  const png = Buffer.concat([head, chunk('PLTE', Uint8Array.from(colourOf(i))), idat, filler, iend]);
  return `data:image/png;base64,${png.toString('base64')}`;
}
