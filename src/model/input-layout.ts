/**
 * Channels-first (NCHW, PyTorch) or channels-last (NHWC, TensorFlow/Keras through tf2onnx) image inputs:
 * the layout read from the input shape, the `--layout` override, and the NCHW -> NHWC transpose that
 * feeds a channels-last model from featscope's NCHW preprocessing.
 */
import { UserError } from '../errors.js';
import type { Dim } from './onnx-model.js';

export type InputLayout = 'nchw' | 'nhwc';
/** 'auto' = read it from the input shape; NCHW (with a warning) when the shape cannot tell. */
export type LayoutOption = InputLayout | 'auto';

export interface ResolvedLayout {
  layout: InputLayout;
  /** 'shape': the input shape says so; 'option': the shape leaves it open and --layout chose; 'assumed': neither, NCHW by default. */
  source: 'shape' | 'option' | 'assumed';
}

const fixed = (d: Dim): number | null => (typeof d === 'number' && d > 0 ? d : null);
const isChannelCount = (d: number | null) => d === 1 || d === 3;
/** A fixed dimension above 4 is an image side, not a channel count. */
const isSide = (d: number | null) => d !== null && d > 4;

/**
 * What a rank-4 input shape says: channels first when dim 1 is 1 or 3 and dim 3 is not (or dim 3 is an
 * image side and dim 1 is dynamic), channels last the other way round; 'open' when both or neither could be
 * the channels (all dynamic, or [N, 3, H, 3]).
 */
export function layoutFromShape(shape: readonly Dim[]): InputLayout | 'open' {
  const first = fixed(shape[1]);
  const last = fixed(shape[3]);
  if (isChannelCount(first) && !isChannelCount(last)) return 'nchw';
  if (isChannelCount(last) && !isChannelCount(first)) return 'nhwc';
  if (first === null && isSide(last)) return 'nchw';
  if (last === null && isSide(first)) return 'nhwc';
  if (first !== null && last !== null && !isChannelCount(first)) {
    // Neither end holds 1 or 3: the end that is not an image side holds the (unsupported) channels.
    return isSide(first) && !isSide(last) ? 'nhwc' : 'nchw';
  }
  if (first === null && last !== null) return 'nhwc'; // [N, ?, ?, 2|4]
  if (last === null && first !== null) return 'nchw'; // [N, 2|4, ?, ?]
  return 'open';
}

const LAYOUT_NAMES: Record<InputLayout, string> = {
  nchw: 'channels first, NCHW',
  nhwc: 'channels last, NHWC',
};

/** Resolves the layout of a rank-4 input from its shape and `--layout`; a contradiction is a user error. */
export function resolveLayout(
  shape: readonly Dim[],
  option: LayoutOption,
  where: string,
): ResolvedLayout & { warning: string | null } {
  const fromShape = layoutFromShape(shape);
  const shown = `[${shape.map((d) => d ?? '?').join(', ')}]`;
  if (fromShape !== 'open') {
    if (option !== 'auto' && option !== fromShape) {
      throw new UserError(
        `--layout ${option} contradicts ${where}'s input shape ${shown}, which is ${LAYOUT_NAMES[fromShape]}. ` +
          `Drop --layout (featscope reads the layout from the shape) or pass --layout ${fromShape}.`,
      );
    }
    return { layout: fromShape, source: 'shape', warning: null };
  }
  if (option !== 'auto') return { layout: option, source: 'option', warning: null };
  return {
    layout: 'nchw',
    source: 'assumed',
    warning:
      `the input shape ${shown} of ${where} does not tell channels-first from channels-last images; featscope assumes ` +
      'NCHW (PyTorch exports). Pass --layout nhwc for a channels-last model (TensorFlow/Keras through tf2onnx), or --layout nchw to silence this.',
  };
}

/** Axes of channels, height and width in a rank-4 input of this layout. */
export function layoutAxes(layout: InputLayout): { c: number; h: number; w: number } {
  return layout === 'nchw' ? { c: 1, h: 2, w: 3 } : { c: 3, h: 1, w: 2 };
}

/**
 * Transposes `b` images from NCHW (`src`) to NHWC (`out`, caller-owned, at least b*c*h*w long):
 * out[((i*h + y)*w + x)*c + k] = src[((i*c + k)*h + y)*w + x].
 */
export function nchwToNhwc(
  src: Float32Array,
  b: number,
  c: number,
  h: number,
  w: number,
  out: Float32Array,
): void {
  const plane = h * w;
  for (let i = 0; i < b; i++) {
    const base = i * c * plane;
    for (let k = 0; k < c; k++) {
      const from = base + k * plane;
      for (let p = 0; p < plane; p++) out[base + p * c + k] = src[from + p];
    }
  }
}
