/**
 * Class colours. Up to 12 classes use seaborn's `hls_palette(n, h=.01, l=.6, s=.65)` exactly, the
 * palette of the Python recipe users know. Beyond that, evenly spaced hues alone put neighbouring
 * class ids a few degrees apart, so we spread the same hue wheel over several lightness levels and
 * visit hues with a stride near the golden ratio: consecutive classes differ by ~137 degrees of hue.
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

/** Lightness levels for many classes: darker, seaborn's 0.6, lighter (kept readable on white). */
const LEVELS_2 = [0.45, 0.65];
const LEVELS_3 = [0.4, 0.57, 0.72];

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Colours for n classes in class-index order. Deterministic; every class gets a distinct
 * (hue, lightness) pair.
 */
export function classPalette(n: number): string[] {
  if (n <= PLAIN_HLS_MAX) return hlsPalette(n);
  const levels = n <= 40 ? LEVELS_2 : LEVELS_3;
  const hues = Math.ceil(n / levels.length);
  // Golden-angle stride (0.382 of the wheel), nudged until coprime so it visits every hue once.
  let stride = Math.max(1, Math.round(hues * 0.381966));
  while (gcd(stride, hues) !== 1) stride++;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const hueIndex = ((i % hues) * stride) % hues;
    const level = levels[Math.floor(i / hues)];
    out.push(rgbToHex(hlsToRgb((hueIndex / hues + 0.01) % 1, level, 0.65)));
  }
  return out;
}

/** Fixed colours for the correct / misclassified / unlabelled colouring (green, red, grey). */
export const CORRECTNESS_COLORS: readonly string[] = Object.freeze(['#3a9e5c', '#d6404e', '#9a9a9a']);

/** Colours for a grouping: classes get `classPalette`, correctness gets its fixed colours. */
export function groupColors(names: string[], colorBy: 'label' | 'prediction' | 'correct'): string[] {
  if (colorBy === 'correct') return names.map((_, i) => CORRECTNESS_COLORS[i] ?? '#9a9a9a');
  if (names.length === 1 && names[0] === 'points') return ['#4c72b0'];
  const colors = classPalette(names.length);
  // The trailing "unlabelled" group (present only when some labels are missing) is grey.
  if (names[names.length - 1] === 'unlabelled') colors[names.length - 1] = '#9a9a9a';
  return colors;
}
