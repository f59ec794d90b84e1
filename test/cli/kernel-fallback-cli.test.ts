/**
 * Fallbacks are never silent: without the WebAssembly kernels (FEATSCOPE_NO_WASM=1 turns them off as a
 * missing wasm/ folder would) the maps are still made, and stderr and run.json say which kernels ran.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeNpyFloat32 } from '../../src/io/npy.js';
import { runCli } from '../helpers/cli.js';
import { seededFloats } from '../helpers/onnx-builder.js';

async function reduceRun(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'fs-fallback-'));
  const features = join(dir, 'features.npy');
  writeFileSync(features, encodeNpyFloat32(seededFloats(60 * 4, 5), [60, 4]));
  const out = join(dir, 'out');
  const r = await runCli(
    [
      'reduce',
      '--features',
      features,
      '--out',
      out,
      '--method',
      'tsne,pca',
      '--dims',
      '2',
      '--iterations',
      '50',
    ],
    { env },
  );
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  return { r, manifest };
}

test('missing WebAssembly kernels: the maps are made, with a warning on stderr and in run.json', async () => {
  const { r, manifest } = await reduceRun({ FEATSCOPE_NO_WASM: '1' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: The WebAssembly kernels .*dense.* are turned off \(FEATSCOPE_NO_WASM\); t-SNE runs/,
  );
  assert.match(r.stderr, /warning: .*; PCA runs their slower TypeScript twins/);
  const text = JSON.stringify(manifest);
  assert.match(text, /t-SNE runs their slower TypeScript twins/);
  assert.match(
    text,
    /"kernels":\{"typescript":\["fft-convolution","dense","attraction","fft-points","gradient-step","barnes-hut","nn-descent","rp-margins"\]\}/,
  );
  assert.match(text, /"kernels":"typescript"/);
});

test('with the kernels built, run.json says WebAssembly ran and nothing warns about kernels', async () => {
  const { r, manifest } = await reduceRun({});
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /WebAssembly/);
  assert.match(JSON.stringify(manifest), /"kernels":"webassembly"/);
});
