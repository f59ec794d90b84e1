import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fitText,
  fontkitRunText,
  isolatedRunText,
  normalizeText,
  shapeText,
  textWidth,
  visualRuns,
} from '../../../src/render/static/text-runs.js';

function runs(text: string): string[] {
  return shapeText(text).runs.map((r) => `${r.face.id}:${r.text}`);
}

test('each character gets a face that has it, ideographs in the cut of the line language', () => {
  assert.deepEqual(runs('Pullover'), ['latin:Pullover']);
  assert.deepEqual(runs('кошка γάτα'), ['latin:кошка γάτα']);
  assert.deepEqual(runs('金毛寻回犬'), ['sc:金毛寻回犬']);
  // Kana make the line Japanese, Hangul Korean: the shared ideographs follow.
  assert.deepEqual(runs('写真機 カメラ'), ['jp:写真機 カメラ']);
  assert.deepEqual(runs('강아지 (犬)'), ['kr:강아지 (犬)']);
  assert.deepEqual(runs('قطة'), ['arabic:قطة']);
  assert.deepEqual(runs('חתול'), ['hebrew:חתול']);
  // Between two faces, spaces and digits take DejaVu Sans; a closing bracket follows its opener.
  assert.deepEqual(runs('猫 cat'), ['sc:猫', 'latin: cat']);
  assert.deepEqual(runs('cat (猫)'), ['latin:cat (', 'sc:猫', 'latin:)']);
  assert.deepEqual(runs('猫 (家猫)'), ['sc:猫 (家猫)']);
  assert.deepEqual(shapeText('猫 ねこ 고양이 قطة חתול кошка').missing, []);
});

test('bidi: runs in display order, right-to-left text handed to each renderer the way it needs', () => {
  // Logical: "abc ", Hebrew word + space (level 1), "12" (level 2 inside the right-to-left part).
  const line = shapeText('abc קטן 12');
  assert.deepEqual(
    line.runs.map((r) => [r.text, r.level]),
    [
      ['abc ', 0],
      ['קטן ', 1],
      ['12', 2],
    ],
  );
  assert.deepEqual(
    visualRuns(line.runs).map((r) => r.text),
    ['abc ', '12', 'קטן '],
  );
  // A right-to-left name: its words swap places on screen, the closing bracket becomes the left one.
  const heb = shapeText('חתול (שחור)');
  assert.equal(heb.runs[0].level % 2, 1);
  const shown = visualRuns(heb.runs);
  assert.deepEqual(
    shown.map((r) => r.text),
    [')', 'שחור', '(', 'חתול '],
  );
  // Brackets alone in a right-to-left run are mirrored (and reversed) for every renderer; runs of
  // Hebrew letters go as they are (fontkit and resvg reverse them themselves).
  assert.equal(fontkitRunText(shown[0]), '(');
  assert.equal(isolatedRunText(shown[0]), '(');
  assert.equal(fontkitRunText(shown[1]), 'שחור');
  assert.equal(isolatedRunText(shown[1]), 'שחור');
  // Arabic-Indic digits sit at an even level but fontkit would reverse them (Arabic script).
  const digits = shapeText('قطة ١٢').runs.find((r) => r.text === '١٢');
  assert.ok(digits && digits.level % 2 === 0);
  assert.equal(fontkitRunText(digits), '٢١');
  assert.equal(isolatedRunText(digits), '١٢');
});

test('widths come from each run face: an ideograph is 1 em, names are cut to fit with an ellipsis', () => {
  assert.ok(Math.abs(textWidth('猫', 10) - 10) < 1e-9);
  assert.ok(Math.abs(textWidth('金毛寻回犬', 8) - 40) < 1e-9);
  assert.ok(textWidth('猫 cat', 10) > textWidth('猫', 10) + textWidth('cat', 10));
  assert.ok(textWidth('title', 10, true) > textWidth('title', 10));
  const cut = fitText('金毛寻回犬金毛寻回犬金毛寻回犬', 8, 60);
  assert.ok(cut.endsWith('…') && textWidth(cut, 8) <= 60, cut);
  assert.equal(fitText('猫', 8, 60), '猫');
});

test('a line is one line: white space collapses, control characters and lone surrogates go', () => {
  assert.equal(normalizeText('  a\n\tb\u0007 c  '), 'a b c');
  assert.equal(normalizeText('x\uD800y\uDC00z'), 'xyz');
  assert.equal(normalizeText('𠀀'), '𠀀');
});
