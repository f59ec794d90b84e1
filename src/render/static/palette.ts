import type { PointGroups } from '../groups.js';
import type { ColorBy } from '../types.js';
import { type MarkerShape, markerFor } from './markers.js';

/**
 * Class colours. Up to 12 classes use seaborn's `hls_palette(n, h=.01, l=.6, s=.65)` exactly, the
 * palette of the Python recipe users know. Beyond that, colours are picked in OKLab, a perceptual
 * space, each as far as possible from those before it (see `maximinColors`).
 */

/** `colorsys.hls_to_rgb` from CPython, channels in [0, 1]. */
export function hlsToRgb(h: number, l: number, s: number): [number, number, number] {
  if (s === 0) return [l, l, l];
  const m2 = l <= 0.5 ? l * (1 + s) : l + s - l * s;
  const m1 = 2 * l - m2;
  return [hueChannel(m1, m2, h + 1 / 3), hueChannel(m1, m2, h), hueChannel(m1, m2, h - 1 / 3)];
}

function hueChannel(m1: number, m2: number, hue: number): number {
  hue = ((hue % 1) + 1) % 1;
  if (hue < 1 / 6) return m1 + (m2 - m1) * hue * 6;
  if (hue < 0.5) return m2;
  if (hue < 2 / 3) return m1 + (m2 - m1) * (2 / 3 - hue) * 6;
  return m1;
}

/** `#rrggbb` of an RGB triple in [0, 1]. */
export function rgbToHex([r, g, b]: [number, number, number]): string {
  const h = (v: number) =>
    Math.round(Math.min(1, Math.max(0, v)) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

/** seaborn `hls_palette(n, h, l, s)`: n hues evenly spaced from h (seaborn's default h = 0.01). */
export function hlsPalette(n: number, l = 0.6, s = 0.65, h = 0.01): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rgbToHex(hlsToRgb((i / n + h) % 1, l, s)));
  return out;
}

/** Largest class count drawn with seaborn's plain palette. */
const PLAIN_HLS_MAX = 12;

/** sRGB channel in [0, 1] to linear light (IEC 61966-2-1). */
function toLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** OKLab (Ottosson 2020) of an sRGB colour: a space where Euclidean distance follows perceived difference. */
export function rgbToOklab([r, g, b]: [number, number, number]): [number, number, number] {
  const R = toLinear(r);
  const G = toLinear(g);
  const B = toLinear(b);
  const l = Math.cbrt(0.4122214708 * R + 0.5363325363 * G + 0.0514459929 * B);
  const m = Math.cbrt(0.2119034982 * R + 0.6806995451 * G + 0.1073969566 * B);
  const s = Math.cbrt(0.0883024619 * R + 0.2817188376 * G + 0.6299787005 * B);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Candidate grid: sRGB steps per channel. 24 gives ~14k colours, ~5k inside the bounds below. */
const GRID = 24;
/**
 * Bounds in OKLab: lightness 0.45-0.86 keeps markers visible on white and hues recognisable (darker
 * reads as black), chroma at least 0.07 keeps colours away from the grey of "unlabelled".
 */
const MIN_L = 0.5;
const MAX_L = 0.84;
const MIN_CHROMA = 0.07;
const MAX_CHROMA = 0.2;

interface Sequence {
  hex: string[];
  labs: Float64Array;
  /** Per candidate: squared distance to the nearest colour chosen so far. */
  nearest: Float64Array;
  chosen: string[];
}

let sequence: Sequence | undefined;

function initSequence(): Sequence {
  const hex: string[] = [];
  const labs: number[] = [];
  for (let r = 0; r < GRID; r++) {
    for (let g = 0; g < GRID; g++) {
      for (let b = 0; b < GRID; b++) {
        const rgb: [number, number, number] = [r / (GRID - 1), g / (GRID - 1), b / (GRID - 1)];
        const [L, A, B] = rgbToOklab(rgb);
        const chroma = Math.hypot(A, B);
        if (L < MIN_L || L > MAX_L || chroma < MIN_CHROMA || chroma > MAX_CHROMA) continue;
        hex.push(rgbToHex(rgb));
        labs.push(L, A, B);
      }
    }
  }
  const seq: Sequence = {
    hex,
    labs: Float64Array.from(labs),
    nearest: new Float64Array(hex.length).fill(Number.POSITIVE_INFINITY),
    chosen: [],
  };
  // The page's white and the unlabelled grey count as taken, so no class colour sits near them.
  for (const taken of ['#ffffff', '#9a9a9a']) occupy(seq, rgbToOklab(hexToRgb(taken)));
  return seq;
}

function occupy(seq: Sequence, [L, A, B]: [number, number, number]): void {
  const { labs, nearest } = seq;
  for (let i = 0; i < nearest.length; i++) {
    const d = (labs[3 * i] - L) ** 2 + (labs[3 * i + 1] - A) ** 2 + (labs[3 * i + 2] - B) ** 2;
    if (d < nearest[i]) nearest[i] = d;
  }
}

/** `[r, g, b]` in [0, 1] of `#rrggbb`. */
export function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/**
 * The first n colours of one fixed sequence in which every colour is the candidate farthest (in
 * OKLab) from all colours before it and from white and grey: greedy farthest-point sampling, as in
 * Glasbey et al. (2007), "Colour displays for categorical images". So any prefix is well spread,
 * consecutive class ids get very different colours, and a class keeps its colour as n grows.
 */
function maximinColors(n: number): string[] {
  sequence ??= initSequence();
  const seq = sequence;
  while (seq.chosen.length < n && seq.chosen.length < seq.hex.length) {
    let best = 0;
    for (let i = 1; i < seq.nearest.length; i++) if (seq.nearest[i] > seq.nearest[best]) best = i;
    seq.chosen.push(seq.hex[best]);
    occupy(seq, [seq.labs[3 * best], seq.labs[3 * best + 1], seq.labs[3 * best + 2]]);
  }
  const out = seq.chosen.slice(0, n);
  // Beyond the candidates (thousands of classes), colours repeat; markers still cycle.
  for (let i = out.length; i < n; i++) out.push(out[i % seq.chosen.length]);
  return out;
}

/**
 * Colours for n classes in legend order. Up to 12, seaborn's `hls_palette` (the recipe's figure);
 * beyond that, evenly spaced hues put neighbouring classes a few degrees apart, so the colours
 * come from `maximinColors`. Deterministic; distinct for n up to thousands.
 */
export function classPalette(n: number): string[] {
  if (n <= PLAIN_HLS_MAX) return hlsPalette(n);
  return maximinColors(n);
}

/** Fixed colours for the correct / misclassified / unlabelled colouring (green, red, grey). */
export const CORRECTNESS_COLORS: readonly string[] = Object.freeze(['#3a9e5c', '#d6404e', '#9a9a9a']);

/** Colours for a grouping: classes get `classPalette`, correctness gets its fixed colours. */
export function groupColors(names: string[], colorBy: ColorBy): string[] {
  if (colorBy === 'correct') return names.map((_, i) => CORRECTNESS_COLORS[i] ?? '#9a9a9a');
  if (names.length === 1 && names[0] === 'points') return ['#4c72b0'];
  const colors = classPalette(names.length);
  // The trailing "unlabelled" group (present only when some labels are missing) is grey.
  if (names[names.length - 1] === 'unlabelled') colors[names.length - 1] = '#9a9a9a';
  return colors;
}

/** Colour and marker of every group, in legend order: what the figure and the pages draw. */
export function groupStyles(groups: Pick<PointGroups, 'names' | 'colorBy'>): {
  colors: string[];
  shapes: MarkerShape[];
} {
  return {
    colors: groupColors(groups.names, groups.colorBy),
    shapes:
      groups.colorBy === 'correct' ? ['circle', 'x', 'square'] : groups.names.map((_, i) => markerFor(i)),
  };
}
