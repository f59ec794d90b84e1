/**
 * Decoding with sharp (libvips) into 8-bit interleaved pixels, converted the way Pillow's
 * `.convert('RGB')` / `.convert('L')` would (see convert.ts). EXIF orientation is NOT applied, because
 * torchvision's loader (`Image.open(...).convert(...)`) does not apply it either: the model saw the
 * stored pixels during training and evaluation in the Python recipe.
 */
import sharp from 'sharp';
import { convertChannels } from './convert.js';
import type { RawImage } from './transform.js';

// Decoding runs on libuv's thread pool; sharp's own cache only helps repeated files.
sharp.cache(false);

/** Decodes image bytes; throws an Error with sharp's reason when the bytes are not a decodable image. */
export async function decodeImage(bytes: Uint8Array, channels: 1 | 3): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: 268_402_689 })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const px = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const pixels = info.width * info.height;
  const converted = info.channels === channels ? px : convertChannels(px, pixels, info.channels, channels);
  return { data: converted, width: info.width, height: info.height, channels };
}
