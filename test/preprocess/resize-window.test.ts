/**
 * Resizing only the pixels a centre crop keeps gives the very values of resizing everything and then
 * cropping (Pillow's resize computes each output pixel from its own coefficients), for up- and
 * downscaling, grey and RGB, crops larger than the image (zero padding) and non-square crops.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resizeBilinearPil, resizeBilinearPilWindow } from '../../src/preprocess/pil-resize.js';
import {
  cropNormalizeInto,
  type RawImage,
  resizeCropNormalizeInto,
  resizeShorterSide,
} from '../../src/preprocess/transform.js';
import { mulberry32 } from '../../src/reduce/rng.js';

function randomImage(rng: () => number, w: number, h: number, c: number): Uint8Array {
  const a = new Uint8Array(w * h * c);
  for (let i = 0; i < a.length; i++) a[i] = Math.floor(rng() * 256);
  return a;
}

test('a window of the resize equals the same rectangle of the whole resize', () => {
  const rng = mulberry32(3);
  for (let t = 0; t < 150; t++) {
    const c = [1, 3, 4][t % 3];
    const inW = 1 + Math.floor(rng() * 120);
    const inH = 1 + Math.floor(rng() * 120);
    const outW = 1 + Math.floor(rng() * 120);
    const outH = 1 + Math.floor(rng() * 120);
    const src = randomImage(rng, inW, inH, c);
    const full = resizeBilinearPil(src, inW, inH, c, outW, outH);
    const x0 = Math.floor(rng() * outW);
    const y0 = Math.floor(rng() * outH);
    const ww = 1 + Math.floor(rng() * (outW - x0));
    const wh = 1 + Math.floor(rng() * (outH - y0));
    const win = resizeBilinearPilWindow(src, inW, inH, c, outW, outH, x0, y0, ww, wh);
    for (let y = 0; y < wh; y++) {
      const want = full.subarray(((y + y0) * outW + x0) * c, ((y + y0) * outW + x0 + ww) * c);
      assert.deepEqual(win.subarray(y * ww * c, (y + 1) * ww * c), want, `case ${t}, row ${y}`);
    }
  }
});

test('resize + centre crop + normalise in one step equals the three steps, bit for bit', () => {
  const rng = mulberry32(5);
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  for (let t = 0; t < 150; t++) {
    const c = t % 2 ? 3 : 1;
    const img: RawImage = {
      data: new Uint8Array(0),
      width: 1 + Math.floor(rng() * 200),
      height: 1 + Math.floor(rng() * 200),
      channels: c as 1 | 3,
    };
    img.data = randomImage(rng, img.width, img.height, c);
    const size = 1 + Math.floor(rng() * 160);
    const cropW = 1 + Math.floor(rng() * 160);
    const cropH = t % 3 ? cropW : 1 + Math.floor(rng() * 160);
    const m = mean.slice(0, c);
    const s = std.slice(0, c);
    const want = new Float32Array(c * cropW * cropH);
    cropNormalizeInto(resizeShorterSide(img, size), cropW, cropH, m, s, want, 0);
    const got = new Float32Array(c * cropW * cropH);
    resizeCropNormalizeInto(img, size, cropW, cropH, m, s, got, 0);
    assert.deepEqual(got, want, `case ${t}: ${img.width}x${img.height} -> ${size}, crop ${cropW}x${cropH}`);
  }
});
