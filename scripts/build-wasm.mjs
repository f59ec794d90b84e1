/**
 * Compiles every AssemblyScript kernel in asm/ to wasm/<name>.wasm (`npm run build:wasm`, run by
 * `npm run build` and so by `npm ci` through `prepare`). -O3 with SIMD; the stub runtime, since the
 * kernels allocate nothing (their callers lay out the memory).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Extra flags per module. The attraction, FFT point, descent step and NN-descent kernels import a
 * shared memory (up to 4 GiB), so that every thread's instance reads the big arrays (t-SNE's P and
 * points, the neighbour heap) where the JavaScript side built them, without a copy
 * (src/reduce/wasm-arena.ts).
 */
const SHARED_MEMORY = [
  '--enable',
  'threads',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  '65536',
];
const EXTRA = {
  attraction: SHARED_MEMORY,
  'fft-points': SHARED_MEMORY,
  'gradient-step': SHARED_MEMORY,
  'nn-descent': SHARED_MEMORY,
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = createRequire(import.meta.url).resolve('assemblyscript/bin/asc.js');
mkdirSync(join(root, 'wasm'), { recursive: true });
for (const file of readdirSync(join(root, 'asm')).filter((f) => f.endsWith('.ts'))) {
  const name = file.slice(0, -3);
  const args = [asc, join('asm', file), '-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert'];
  args.push(...(EXTRA[name] ?? []));
  execFileSync(process.execPath, [...args, '-o', join('wasm', `${name}.wasm`)], {
    cwd: root,
    stdio: 'inherit',
  });
}
