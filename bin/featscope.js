#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled library (built by `npm ci` through the prepare script).
import { availableParallelism } from 'node:os';

// libuv's thread pool (sharp's decoding, file reads) is shared by every thread of the process and
// sized on its first use: one thread per core, so the decode threads (src/preprocess/prepare-pool.ts)
// are not held to libuv's default of 4. A value set by the user is kept.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));
const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
