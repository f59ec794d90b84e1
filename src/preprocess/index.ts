export { convertChannels } from './convert.js';
export { decodeImage } from './decode.js';
export {
  IMAGENET_MEAN,
  IMAGENET_STD,
  type ModelInputShape,
  PREPROCESS_DEFAULTS,
  type PreprocessOptions,
  type PresetName,
  type ResolvedPreprocess,
  resolvePreprocess,
} from './options.js';
export { resizeBilinearPil } from './pil-resize.js';
export {
  cropNormalizeInto,
  cropOffset,
  type RawImage,
  resizedSize,
  resizeShorterSide,
  roundHalfEven,
} from './transform.js';
