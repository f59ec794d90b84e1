/**
 * The WebAssembly resize + crop + normalise (asm/pil-resize.ts) gives the TypeScript twin's bits:
 * down- and upscaling, one axis unchanged, big shrink factors (many taps), odd widths whose rows are
 * not a multiple of 16 bytes, crops larger than the image (zero padding), non-square crops, and one
 * instance reused across sizes (its memory grows, stale bytes stay in the padding).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pilResizeWasmAvailable } from '../../src/preprocess/pil-resize-wasm.js';
import { type RawImage, resizeCropNormalizeInto } from '../../src/preprocess/transform.js';
import { mulberry32 } from '../../src/reduce/rng.js';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

function randomRgb(rng: () => number, width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rng() * 256);
  return { data, width, height, channels: 3 };
}

function bothKernels(
  img: RawImage,
  size: number,
  cropW: number,
  cropH: number,
): [Float32Array, Float32Array] {
  const wasm = new Float32Array(3 * cropW * cropH).fill(Number.NaN);
  const ts = new Float32Array(3 * cropW * cropH).fill(Number.NaN);
  resizeCropNormalizeInto(img, size, cropW, cropH, MEAN, STD, wasm, 0, 'auto');
  resizeCropNormalizeInto(img, size, cropW, cropH, MEAN, STD, ts, 0, 'typescript');
  return [wasm, ts];
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const i = x.findIndex((v, j) => v !== y[j]);
  assert.equal(i, -1, `${what}: first difference at ${i} (${a[i]} vs ${b[i]})`);
}

test('the WebAssembly module is built and loads', () => {
  assert.equal(pilResizeWasmAvailable(), true, 'wasm/pil-resize.wasm missing: run npm run build:wasm');
});

test('WebAssembly and TypeScript resize + crop + normalise agree bit for bit on random images', () => {
  const rng = mulberry32(11);
  for (let t = 0; t < 200; t++) {
    const img = randomRgb(rng, 1 + Math.floor(rng() * 260), 1 + Math.floor(rng() * 260));
    const size = 1 + Math.floor(rng() * 200);
    const cropW = 1 + Math.floor(rng() * 180);
    const cropH = t % 3 ? cropW : 1 + Math.floor(rng() * 180);
    const [wasm, ts] = bothKernels(img, size, cropW, cropH);
    sameBits(wasm, ts, `case ${t}: ${img.width}x${img.height} -> ${size}, crop ${cropW}x${cropH}`);
  }
});

test('WebAssembly and TypeScript agree on photo sizes, big shrinks and one unchanged axis', () => {
  const rng = mulberry32(12);
  const cases: [number, number, number, number][] = [
    [500, 375, 256, 224],
    [375, 500, 256, 224],
    [640, 427, 256, 224],
    [1203, 97, 64, 60], // a 9x shrink on one axis: many taps
    [2000, 1500, 40, 40], // 37x
    [300, 256, 256, 224], // the shorter side already 256: only the long axis is resized
    [257, 256, 256, 255],
    [33, 17, 256, 224], // upscaling, crop smaller than the resize
    [31, 29, 64, 100], // upscaling, crop larger than the resize: zero padding
  ];
  for (const [w, h, size, crop] of cases) {
    const [wasm, ts] = bothKernels(randomRgb(rng, w, h), size, crop, crop);
    sameBits(wasm, ts, `${w}x${h} -> ${size}, crop ${crop}`);
  }
});
