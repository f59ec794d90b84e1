import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classPalette, hlsPalette, hlsToRgb } from '../../../src/render/static/palette.js';

// seaborn 0.12 `[to_hex(c) for c in hls_palette(n, l=.6, s=.65)]`, printed by /usr/bin/python3.
const SEABORN_10 = [
  '#db5f57',
  '#dbae57',
  '#b9db57',
  '#69db57',
  '#57db94',
  '#57d3db',
  '#5784db',
  '#7957db',
  '#c957db',
  '#db579e',
];

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
}

test('hlsPalette matches seaborn hls_palette within one 8-bit step', () => {
  const ours = hlsPalette(10);
  ours.forEach((c, i) => {
    const a = rgb(c);
    const b = rgb(SEABORN_10[i]);
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(a[j] - b[j]) <= 1, `${c} vs ${SEABORN_10[i]}`);
  });
  assert.deepEqual(hlsToRgb(0, 0.5, 0), [0.5, 0.5, 0.5]);
});

test('classPalette gives distinct colours for 1000 classes and far-apart hues for neighbouring ids', () => {
  for (const n of [10, 13, 40, 100, 1000]) {
    const p = classPalette(n);
    assert.equal(p.length, n);
    assert.equal(new Set(p).size, n, `n=${n}`);
  }
  const p = classPalette(100);
  let close = 0;
  for (let i = 1; i < p.length; i++) {
    const a = rgb(p[i - 1]);
    const b = rgb(p[i]);
    const dist = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    if (dist < 60) close++;
  }
  assert.ok(close <= 2, `${close} neighbouring pairs nearly the same colour`);
});
