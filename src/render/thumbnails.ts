import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { crc32, encodePng } from './png-encode.js';

/** Options of the thumbnail batch. */
export interface ThumbnailOptions {
  /** Longest side in pixels; aspect is kept and small images are not enlarged. */
  maxSide?: number;
  /** Files decoded at once (sharp runs each on libuv's thread pool). */
  concurrency?: number;
  /** Called after each file with the fraction done. */
  onProgress?: (fraction: number, stage: string) => void;
}

export const THUMBNAIL_DEFAULTS: Readonly<Required<Omit<ThumbnailOptions, 'onProgress'>>> = Object.freeze({
  // 64 px shows a Fashion-MNIST image at 2x and an ImageNet photo recognisably, at ~1-3 kB each.
  maxSide: 64,
  concurrency: 4,
});

/** WebP quality: 70 keeps thumbnails recognisable at about a third of the bytes of quality 90. */
const WEBP_QUALITY = 70;

/**
 * Largest PNG file inlined as it is. A 28 x 28 Fashion-MNIST PNG is ~300 bytes and a 32 x 32 CIFAR
 * one ~2-3 kB; a 64 x 64 photo saved as PNG can be 10 kB where its WebP is ~2 kB, so bigger files are
 * re-encoded to keep the pages small.
 */
export const REUSE_MAX_BYTES = 4096;

/**
 * A thumbnail of an image file (a path, or its bytes) as a `data:image/...;base64,` URI, longest side
 * `maxSide` (aspect kept, never enlarged). A small 8-bit PNG that already fits (`reusablePng`) is
 * inlined byte for byte, with no decoding or encoding beyond a check that it decodes; anything else
 * becomes a WebP. EXIF orientation is NOT applied, and none is written: the thumbnail shows the pixels
 * as the model saw them (torchvision's loader ignores EXIF orientation too), so a sideways photo that
 * the model misclassified looks sideways. Null when the file cannot be read or decoded: a missing
 * thumbnail is shown as such in the page rather than failing the run.
 */
export async function makeThumbnail(
  file: string | Uint8Array,
  maxSide = THUMBNAIL_DEFAULTS.maxSide,
): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = typeof file === 'string' ? await readFile(file) : file;
  } catch {
    return null;
  }
  if (reusablePng(bytes, maxSide)) return dataUri('png', bytes);
  try {
    const buf = await sharp(bytes, { failOn: 'none' })
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .toBuffer();
    return dataUri('webp', buf);
  } catch {
    return null;
  }
}

/**
 * The same thumbnail from 8-bit interleaved pixels in memory (1 grey or 3 RGB channels): images that
 * fit `maxSide` are written as a PNG here (`encodePng`, lossless, ~0.05 ms for 28 x 28), larger ones
 * are resized to a WebP.
 */
export async function makePixelThumbnail(
  pixels: { data: Uint8Array; width: number; height: number; channels: 1 | 3 },
  maxSide = THUMBNAIL_DEFAULTS.maxSide,
): Promise<string> {
  const { data, width, height, channels } = pixels;
  if (width <= maxSide && height <= maxSide) return dataUri('png', encodePng(data, width, height, channels));
  const buf = await sharp(data, { raw: { width, height, channels } })
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: WEBP_QUALITY })
    .toBuffer();
  return dataUri('webp', buf);
}

/**
 * True when a file can be shown as its own thumbnail: a PNG of at most `maxSide` on each side and
 * `REUSE_MAX_BYTES`, whole (every chunk's CRC right, IDAT present, IEND last: a truncated or corrupt
 * file goes to the decoder, which reports it), not animated (acTL), and with no eXIf chunk (a browser
 * would apply its orientation, which the model never saw). Checking CRCs costs ~1 us for a 300-byte
 * file, a fraction of inflating it (node's zlib spends ~50 us setting up a stream per call).
 */
export function reusablePng(bytes: Uint8Array, maxSide: number): boolean {
  if (bytes.length > REUSE_MAX_BYTES || bytes.length < 45) return false;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // IHDR is the first chunk: length 13, "IHDR", width, height, ...
  if (dv.getUint32(8) !== 13 || chunkType(bytes, 8) !== 'IHDR') return false;
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  if (width === 0 || height === 0 || width > maxSide || height > maxSide) return false;
  let idat = false;
  for (let pos = 8; pos + 12 <= bytes.length; ) {
    const len = dv.getUint32(pos);
    const end = pos + 12 + len;
    if (end > bytes.length) return false;
    if (crc32(bytes.subarray(pos + 4, pos + 8 + len)) !== dv.getUint32(pos + 8 + len)) return false;
    const type = chunkType(bytes, pos);
    if (type === 'eXIf' || type === 'acTL') return false;
    if (type === 'IDAT') idat = true;
    if (type === 'IEND') return idat && end === bytes.length;
    pos = end;
  }
  return false;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunkType(bytes: Uint8Array, pos: number): string {
  return String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
}

function dataUri(type: 'png' | 'webp', bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return `data:image/${type};base64,${b64}`;
}

/** Thumbnails of many files, in input order, with at most `concurrency` decodes in flight. */
export async function makeThumbnails(
  files: string[],
  options: ThumbnailOptions = {},
): Promise<(string | null)[]> {
  const maxSide = options.maxSide ?? THUMBNAIL_DEFAULTS.maxSide;
  const concurrency = Math.max(1, options.concurrency ?? THUMBNAIL_DEFAULTS.concurrency);
  const out: (string | null)[] = new Array(files.length).fill(null);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = await makeThumbnail(files[i], maxSide);
      done++;
      options.onProgress?.(done / files.length, 'thumbnails');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return out;
}
