/** One image file -> preprocessed CHW float32 values: decode, resize, crop, normalise. */
import { UserError } from '../errors.js';
import { convertChannels } from './convert.js';
import { decodeImage } from './decode.js';
import type { ResolvedPreprocess } from './options.js';
import { cropNormalizeInto, type RawImage, resizeCropNormalizeInto, resizeShorterSide } from './transform.js';

export interface PreparedImage {
  /** CHW float32, channels * height * width values. */
  data: Float32Array;
  width: number;
  height: number;
}

/** Decodes and preprocesses one image. Decoding failures are thrown as plain Errors (caller skips). */
export async function prepareImage(bytes: Uint8Array, pre: ResolvedPreprocess): Promise<PreparedImage> {
  return preparePixels(await decodeImage(bytes, pre.channels), pre);
}

/**
 * Preprocesses pixels already in memory (the MNIST-family IDX images), as torchvision does after
 * `Image.fromarray(img, mode="L")`: converted to the model's channels like PIL's convert(), then
 * resized, cropped and normalised.
 */
export function preparePixels(raw: RawImage, pre: ResolvedPreprocess): PreparedImage {
  let img =
    raw.channels === pre.channels
      ? raw
      : {
          data: convertChannels(raw.data, raw.width * raw.height, raw.channels, pre.channels),
          width: raw.width,
          height: raw.height,
          channels: pre.channels,
        };
  if (pre.resize !== null && pre.cropWidth !== null && pre.cropHeight !== null) {
    const { cropWidth: w, cropHeight: h } = pre;
    const data = new Float32Array(pre.channels * w * h);
    resizeCropNormalizeInto(img, pre.resize, w, h, pre.mean, pre.std, data, 0);
    return { data, width: w, height: h };
  }
  if (pre.resize !== null) img = resizeShorterSide(img, pre.resize);
  const w = pre.cropWidth ?? img.width;
  const h = pre.cropHeight ?? img.height;
  const data = new Float32Array(pre.channels * w * h);
  cropNormalizeInto(img, w, h, pre.mean, pre.std, data, 0);
  return { data, width: w, height: h };
}

/** The error for an image whose preprocessed size does not fit the batch or the model. */
export function sizeMismatchError(
  path: string,
  got: [number, number],
  want: [number, number],
  why: string,
): UserError {
  return new UserError(
    `${path} is ${got[1]}x${got[0]} (width x height) after preprocessing but ${why} needs ${want[1]}x${want[0]}. ` +
      `Pass --resize N and --crop N (e.g. --resize ${Math.round((want[0] * 256) / 224)} --crop ${want[0]}) so every image ` +
      'is brought to the same size, or check that --data points at the right test set.',
  );
}
