/**
 * The resize's fallback is never silent: without wasm/pil-resize.wasm (FEATSCOPE_NO_WASM=1 turns it
 * off as a missing build would) classify still runs, says so on stderr and in run.json, and gives the
 * very same features as with the WebAssembly kernel.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');

async function classifyPhotos(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'fs-resize-fallback-'));
  mkdirSync(join(dir, 'data', 'a'), { recursive: true });
  for (const f of ['photo-300x200.jpg', 'large-400x300.jpg', 'exif-rot6-96x64.jpg']) {
    copyFileSync(join(FIX, 'images', f), join(dir, 'data', 'a', f));
  }
  const out = join(dir, 'out');
  const r = await runCli(
    [
      'classify',
      '--model',
      join(FIX, 'tiny-vgg.onnx'),
      '--data',
      join(dir, 'data'),
      '--out',
      out,
      '--resize',
      '37',
      '--crop',
      '32',
    ],
    { env },
  );
  return { r, out };
}

test('without the WebAssembly resize, classify warns on stderr and in run.json, with the same features', async () => {
  const off = await classifyPhotos({ FEATSCOPE_NO_WASM: '1' });
  assert.equal(off.r.code, 0, off.r.stderr);
  assert.match(
    off.r.stderr,
    /warning: The WebAssembly kernel pil-resize is turned off \(FEATSCOPE_NO_WASM\)/,
  );
  assert.match(readFileSync(join(off.out, 'run.json'), 'utf8'), /pil-resize is turned off/);
  const on = await classifyPhotos({});
  assert.equal(on.r.code, 0, on.r.stderr);
  assert.doesNotMatch(on.r.stderr, /pil-resize/);
  assert.ok(readFileSync(join(on.out, 'features.npy')).equals(readFileSync(join(off.out, 'features.npy'))));
});
