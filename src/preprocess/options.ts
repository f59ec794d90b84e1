/**
 * Preprocessing options, presets and their resolution against the model's input.
 * Precedence for each value: explicit flag > preset > the model's `featscope.preprocess` metadata
 * (written by examples/fashion-mnist/train.py) > the model's fixed input shape.
 */
import { UserError } from '../errors.js';

export type PresetName = 'auto' | 'imagenet' | 'grayscale' | 'none';

export interface PreprocessOptions {
  /** 'auto': the model's metadata if present, else imagenet for 3-channel models, grayscale for 1. */
  preset: PresetName;
  /** Shorter side is resized to this many pixels (torchvision `Resize(n)`); null = keep size. */
  resize?: number | null;
  /** Centre crop to this square size (torchvision `CenterCrop(n)`); null = none. */
  crop?: number | null;
  /** Per-channel mean, in [0, 1] units (after /255). */
  mean?: number[] | null;
  /** Per-channel standard deviation, in [0, 1] units. */
  std?: number[] | null;
  /** 1 = `convert('L')`, 3 = `convert('RGB')`. */
  channels?: 1 | 3 | null;
}

export const PREPROCESS_DEFAULTS: Readonly<PreprocessOptions> = Object.freeze({ preset: 'auto' });

interface Preset {
  channels: 1 | 3 | null;
  resize: number | null;
  crop: number | null;
  mean: number[] | null;
  std: number[] | null;
}

/** torchvision's ImageNet evaluation transform (torchvision.models weights' `transforms()`). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

const PRESETS: Record<Exclude<PresetName, 'auto'>, Preset> = {
  imagenet: { channels: 3, resize: 256, crop: 224, mean: IMAGENET_MEAN, std: IMAGENET_STD },
  grayscale: { channels: 1, resize: null, crop: null, mean: [0.5], std: [0.5] },
  none: { channels: null, resize: null, crop: null, mean: null, std: null },
};

/** The model input facts preprocessing must fit. null = dynamic or unknown. */
export interface ModelInputShape {
  channels: number | null;
  height: number | null;
  width: number | null;
}

/** Fully resolved preprocessing: what actually runs, and what run.json records. */
export interface ResolvedPreprocess {
  preset: Exclude<PresetName, 'auto'> | 'metadata';
  channels: 1 | 3;
  resize: number | null;
  /** Output height and width after cropping; null = images keep their (resized) size. */
  cropHeight: number | null;
  cropWidth: number | null;
  mean: number[];
  std: number[];
}

/** Parses `featscope.preprocess` model metadata; returns null when absent or malformed. */
export function presetFromMetadata(json: string | undefined): Preset | null {
  if (!json) return null;
  try {
    const m = JSON.parse(json) as Partial<Preset>;
    const ch = m.channels === 1 || m.channels === 3 ? m.channels : null;
    return {
      channels: ch,
      resize: m.resize ?? null,
      crop: m.crop ?? null,
      mean: m.mean ?? null,
      std: m.std ?? null,
    };
  } catch {
    return null;
  }
}

export function resolvePreprocess(
  options: PreprocessOptions,
  input: ModelInputShape,
  metadataJson?: string,
): ResolvedPreprocess {
  const opts = { ...PREPROCESS_DEFAULTS, ...options };
  let presetName: ResolvedPreprocess['preset'];
  let preset: Preset;
  const meta = presetFromMetadata(metadataJson);
  if (opts.preset === 'auto') {
    if (meta) {
      presetName = 'metadata';
      preset = meta;
    } else {
      presetName = input.channels === 1 ? 'grayscale' : 'imagenet';
      preset = PRESETS[presetName];
    }
  } else {
    presetName = opts.preset;
    preset = PRESETS[opts.preset];
  }
  const channels = (opts.channels ?? preset.channels ?? (input.channels === 1 ? 1 : 3)) as 1 | 3;
  if (input.channels !== null && input.channels !== channels) {
    throw new UserError(
      `The model expects ${input.channels}-channel images but preprocessing produces ${channels} ` +
        `(preset '${presetName}'). Pass --channels ${input.channels === 1 ? '1' : '3'}` +
        `${input.channels === 1 ? ' (or --preset grayscale)' : ''} so the images are converted the way the model was trained.`,
    );
  }
  const resize = opts.resize !== undefined ? opts.resize : preset.resize;
  const crop = opts.crop !== undefined ? opts.crop : preset.crop;
  const mean = opts.mean ?? preset.mean ?? new Array(channels).fill(0);
  const std = opts.std ?? preset.std ?? new Array(channels).fill(1);
  const fit = (v: number[], what: string): number[] => {
    if (v.length === channels) return v;
    if (v.length === 1) return new Array(channels).fill(v[0]);
    if (v.length === 3 && channels === 1 && presetName !== 'none') return [v.reduce((a, b) => a + b, 0) / 3];
    throw new UserError(
      `--${what} has ${v.length} values but the images have ${channels} channel(s); give ${channels} value(s).`,
      2,
    );
  };
  const m = fit(mean, 'mean');
  const s = fit(std, 'std');
  if (s.some((x) => !(x > 0))) throw new UserError(`--std values must be positive (got ${s.join(',')}).`, 2);
  for (const [v, name] of [
    [resize, 'resize'],
    [crop, 'crop'],
  ] as const) {
    if (v !== null && v !== undefined && !(Number.isInteger(v) && v > 0)) {
      throw new UserError(`--${name} must be a positive whole number of pixels (got ${v}).`, 2);
    }
  }
  const cropH = crop ?? null;
  const cropW = crop ?? null;
  if (input.height !== null && cropH !== null && (cropH !== input.height || cropW !== input.width)) {
    throw new UserError(
      `The model takes ${input.height}x${input.width} images but preprocessing crops to ${cropH}x${cropW} ` +
        `(preset '${presetName}'). Pass --crop ${input.height} with a matching --resize: torchvision's ImageNet recipe ` +
        `resizes to ${Math.round((input.height * 256) / 224)} before cropping to ${input.height}; for images that already ` +
        `are ${input.height}x${input.width}, pass --resize ${input.height} --crop ${input.height} (or --preset none).`,
    );
  }
  return {
    preset: presetName,
    channels,
    resize: resize ?? null,
    cropHeight: cropH,
    cropWidth: cropW,
    mean: m,
    std: s,
  };
}
