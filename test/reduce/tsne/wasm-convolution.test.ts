import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/reduce/rng.js';
import { KernelConvolution2d } from '../../../src/reduce/tsne/fft-convolution.js';
import { wasmConvolutionAvailable } from '../../../src/reduce/tsne/wasm-convolution.js';

test('the WebAssembly module is built (npm ci runs build:wasm through prepare)', () => {
  assert.ok(wasmConvolutionAvailable(), 'wasm/fft-convolution.wasm missing: run npm run build:wasm');
  assert.ok(new KernelConvolution2d().usesWasm);
  assert.ok(!new KernelConvolution2d(false).usesWasm);
});

test('WebAssembly convolution equals the TypeScript one bit for bit (every radix, odd and even m)', () => {
  const rand = mulberry32(7);
  // m = 3 n_boxes: sides whose FFT length 2m uses radix 4, 2, 3 and 5, with odd m (odd batches).
  for (const m of [6, 9, 15, 45, 75, 150, 162]) {
    const wasm = new KernelConvolution2d(true);
    const js = new KernelConvolution2d(false);
    for (const h of [0.05, 0.3]) {
      wasm.setGrid(m, h);
      js.setGrid(m, h);
      for (let rep = 0; rep < 2; rep++) {
        const re = Float64Array.from({ length: m * m }, () => rand() - 0.5);
        const im = Float64Array.from({ length: m * m }, () => rand() * 3);
        const re2 = re.slice();
        const im2 = im.slice();
        wasm.convolve(re, im);
        js.convolve(re2, im2);
        assert.deepEqual(re, re2, `re, m=${m} h=${h}`);
        assert.deepEqual(im, im2, `im, m=${m} h=${h}`);
      }
    }
  }
});

test('convolution grows and shrinks its grid without stale buffers', () => {
  const conv = new KernelConvolution2d();
  const ref = new KernelConvolution2d(false);
  for (const m of [150, 300, 150, 225]) {
    conv.setGrid(m, 0.2);
    ref.setGrid(m, 0.2);
    const re = Float64Array.from({ length: m * m }, (_, i) => Math.sin(i));
    const im = Float64Array.from({ length: m * m }, (_, i) => Math.cos(i * 0.7));
    const re2 = re.slice();
    const im2 = im.slice();
    conv.convolve(re, im);
    ref.convolve(re2, im2);
    assert.deepEqual(re, re2);
    assert.deepEqual(im, im2);
  }
});
