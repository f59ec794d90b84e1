import type { Bidi } from 'bidi-js';
import * as bidiJs from 'bidi-js';
import { bundledFaces, type FontFace, latinFace, loadFont, systemFaceFor } from './font-faces.js';

/**
 * Font fallback and bidirectional order for one line of text (a title, an axis label, a class
 * name). The line is cut into runs, each drawn with one face: a character takes the first face
 * that has its glyph, trying first the faces made for its script; spaces, digits and punctuation
 * stay with their neighbours. The same runs feed the SVG (one `<tspan>` per run, so resvg and
 * browsers use the face we measured), the PDF (pdfkit needs one font per text call) and the
 * width measurements of the legend layout.
 */

/** One piece of a line drawn with one face, in logical (reading) order. */
export interface TextRun {
  text: string;
  face: FontFace;
  /** Unicode bidi embedding level (UAX #9): odd runs read right to left. */
  level: number;
}

export interface ShapedLine {
  /** The line after `normalizeText`. */
  text: string;
  /** Runs in logical order. */
  runs: TextRun[];
  /** Code points no bundled or system font has: drawn as the font's empty box. */
  missing: number[];
}

// bidi-js is CommonJS (`module.exports = factory`), which Node puts on the namespace's default;
// its types declare an ES default export instead, hence the cast.
const bidi = (bidiJs.default as unknown as () => Bidi)();

const ARABIC = /\p{Script=Arabic}/u;
const HEBREW = /\p{Script=Hebrew}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;
const NEUTRAL = /\p{Script=Common}/u;
const COMBINING = /\p{Script=Inherited}/u;

/**
 * One line: control characters and runs of white space become one space, ends trimmed (as SVG
 * does), and what XML cannot hold (lone surrogates, U+FFFE, U+FFFF) is dropped, as `escapeXml` does.
 */
export function normalizeText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
      .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, '')
      .trim()
  );
}

/**
 * Order in which faces are tried for ideographs: a line with kana is Japanese, one with Hangul is
 * Korean, anything else Chinese (the recipe's users name classes in Chinese).
 */
function cjkOrder(text: string): string[] {
  if (KANA.test(text)) return ['jp', 'sc', 'kr'];
  if (HANGUL.test(text)) return ['kr', 'sc', 'jp'];
  return ['sc', 'jp', 'kr'];
}

function faceOrder(ch: string, cjk: string[]): string[] {
  if (ARABIC.test(ch)) return ['arabic', 'latin', 'hebrew', ...cjk];
  if (HEBREW.test(ch)) return ['hebrew', 'latin', 'arabic', ...cjk];
  if (CJK.test(ch)) return [...cjk, 'latin', 'arabic', 'hebrew'];
  return ['latin', ...cjk, 'arabic', 'hebrew'];
}

function has(face: FontFace, bold: boolean, cp: number): boolean {
  return loadFont(face, bold).hasGlyphForCodePoint(cp);
}

/** The face for a character: the first in its script's order that has it, else a system font. */
function faceFor(ch: string, cp: number, bold: boolean, cjk: string[]): FontFace | null {
  const faces = bundledFaces();
  for (const id of faceOrder(ch, cjk)) {
    const face = faces.get(id) as FontFace;
    if (has(face, bold, cp)) return face;
  }
  return systemFaceFor(cp);
}

const cache = new Map<string, ShapedLine>();

/** Splits a line into runs of one face and one bidi level; see the module comment. */
export function shapeText(raw: string, bold = false): ShapedLine {
  const key = `${bold ? 'b' : 'r'}${raw}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = normalizeText(raw);
  const chars = Array.from(text);
  const cjk = cjkOrder(text);
  const faces: (FontFace | null)[] = new Array(chars.length).fill(null);
  const missing: number[] = [];
  // Pass 1: characters with a script of their own choose a face.
  chars.forEach((ch, i) => {
    if (NEUTRAL.test(ch) || COMBINING.test(ch)) return;
    const cp = ch.codePointAt(0) as number;
    const face = faceFor(ch, cp, bold, cjk);
    if (!face) missing.push(cp);
    faces[i] = face ?? latinFace();
  });
  // Pass 2: marks join the previous character. Spaces, digits and punctuation join the face on both
  // sides of them; between two faces they take DejaVu Sans, whose digits and punctuation match
  // Latin text; at either end of the line, their one neighbour. A closing bracket takes the face
  // of its opening bracket, so a pair never mixes faces.
  for (let i = 0; i < chars.length; i++) {
    if (faces[i]) continue;
    const ch = chars[i];
    const cp = ch.codePointAt(0) as number;
    const prev = i > 0 ? faces[i - 1] : null;
    if (prev && COMBINING.test(ch)) {
      faces[i] = prev;
      continue;
    }
    let next: FontFace | null = null;
    for (let j = i + 1; j < chars.length && !next; j++) next = faces[j];
    const opener = bidi.closingToOpeningBracket(ch);
    const openerAt = opener ? chars.lastIndexOf(opener, i) : -1;
    const candidates =
      openerAt >= 0
        ? [faces[openerAt], prev, next]
        : prev && next && prev !== next
          ? [latinFace(), prev, next]
          : [prev, next];
    const face = candidates.find((f): f is FontFace => !!f && has(f, bold, cp)) ?? faceFor(ch, cp, bold, cjk);
    if (!face) missing.push(cp);
    faces[i] = face ?? latinFace();
  }
  const levels = bidi.getEmbeddingLevels(text).levels;
  const runs: TextRun[] = [];
  let unit = 0;
  chars.forEach((ch, i) => {
    const face = faces[i] as FontFace;
    const level = levels[unit];
    unit += ch.length;
    const last = runs[runs.length - 1];
    if (last && last.face === face && last.level === level) last.text += ch;
    else runs.push({ text: ch, face, level });
  });
  const line = { text, runs, missing };
  if (cache.size > 20000) cache.clear();
  cache.set(key, line);
  return line;
}

/** Runs in display order, left to right: UAX #9 rule L2 applied to whole runs. */
export function visualRuns(runs: readonly TextRun[]): TextRun[] {
  const out = [...runs];
  let max = 0;
  let minOdd = Number.POSITIVE_INFINITY;
  for (const r of out) {
    max = Math.max(max, r.level);
    if (r.level % 2) minOdd = Math.min(minOdd, r.level);
  }
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < out.length; ) {
      if (out[i].level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < out.length && out[j].level >= level) j++;
      out.splice(i, j - i, ...out.slice(i, j).reverse());
      i = j;
    }
  }
  return out;
}

/** Scripts written right to left (those of fontkit's list that Unicode regexes name). */
const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

/** Whether the first character of the run with a script of its own is right to left. */
function startsRtl(text: string): boolean {
  for (const ch of text) if (!NEUTRAL.test(ch) && !COMBINING.test(ch)) return RTL_SCRIPT.test(ch);
  return false;
}

function reversed(text: string, mirror: boolean): string {
  const chars = Array.from(text, (ch) => (mirror ? (bidi.getMirroredCharacter(ch) ?? ch) : ch));
  return chars.reverse().join('');
}

/**
 * A run's text for a renderer that applies the bidi algorithm to the run on its own (resvg and
 * browsers, one SVG text chunk per run): right-to-left letters reorder themselves there, but a
 * right-to-left run of brackets or punctuation alone would not, so it is reversed and mirrored here.
 */
export function isolatedRunText(run: TextRun): string {
  return run.level % 2 && !hasRtlLetters(run.text) ? reversed(run.text, true) : run.text;
}

/** Whether the text has letters of a right-to-left script. */
export function hasRtlLetters(text: string): boolean {
  return RTL_SCRIPT.test(text);
}

/**
 * A run's text for fontkit (pdfkit), which reverses a run exactly when its first letter is of a
 * right-to-left script and mirrors nothing but what the font's rtlm feature does. Runs where that
 * disagrees with the bidi level (brackets alone at an odd level, Arabic-Indic digits at an even
 * one) are reversed here, and mirrored (UAX #9 rule L4) when the level is odd.
 */
export function fontkitRunText(run: TextRun): string {
  const shaperReverses = startsRtl(run.text);
  const odd = run.level % 2 === 1;
  return odd === shaperReverses ? run.text : reversed(run.text, odd);
}

const widths = new Map<string, number>();

/** Advance width of a run in points at `size` pt, from the face's own metrics and shaping. */
export function runWidth(run: TextRun, size: number, bold = false): number {
  const key = `${run.face.id}|${bold ? 'b' : 'r'}|${run.text}`;
  let em = widths.get(key);
  if (em === undefined) {
    const font = loadFont(run.face, bold);
    em = font.layout(run.text).advanceWidth / font.unitsPerEm;
    if (widths.size > 50000) widths.clear();
    widths.set(key, em);
  }
  return em * size;
}

/** Advance width of a line in points at `size` pt, with the faces it is drawn with. */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const run of shapeText(text, bold).runs) w += runWidth(run, size, bold);
  return w;
}

/** `text` (normalised) cut with an ellipsis so it is at most `maxWidth` pt wide at `size` pt. */
export function fitText(text: string, size: number, maxWidth: number, bold = false): string {
  const line = normalizeText(text);
  if (textWidth(line, size, bold) <= maxWidth) return line;
  const chars = Array.from(line);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(`${chars.slice(0, mid).join('').trimEnd()}…`, size, bold) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}
