export { decodeImage } from './decode.js';
export { convertChannels } from './convert.js';
export { resizeBilinearPil } from './pil-resize.js';
export { cropNormalizeInto, resizeShorterSide, resizedSize, cropOffset, roundHalfEven, type RawImage } from './transform.js';
export {
  resolvePreprocess,
  PREPROCESS_DEFAULTS,
  IMAGENET_MEAN,
  IMAGENET_STD,
  type PreprocessOptions,
  type ResolvedPreprocess,
  type ModelInputShape,
  type PresetName,
} from './options.js';
