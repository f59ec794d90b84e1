import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RELEASE_MIN_BYTES, releaseMemory } from '../../src/reduce/release-memory.js';
import { sharedWasmMemory } from '../../src/reduce/wasm-modules.js';

const residentMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

test('releaseMemory gives back dropped SharedArrayBuffers and WebAssembly memories at once', async () => {
  const bytes = RELEASE_MIN_BYTES + (32 << 20);
  let shared: Uint8Array | null = new Uint8Array(new SharedArrayBuffer(bytes)).fill(1);
  let memory: ReturnType<typeof sharedWasmMemory> | null = sharedWasmMemory(bytes);
  new Uint8Array(memory.buffer).fill(1);
  const before = residentMb();
  assert.equal(shared[bytes - 1] + new Uint8Array(memory.buffer)[bytes - 1], 2);
  shared = null;
  memory = null;
  assert.equal(await releaseMemory(2 * bytes), true, 'a collection can be started in Node 20');
  const freed = before - residentMb();
  // Both buffers (2 x 160 MB): V8 alone would not collect them before more JavaScript heap is used.
  assert.ok(
    freed > (1.5 * bytes) / 2 ** 20,
    `freed ${freed.toFixed(0)} MB of ${((2 * bytes) / 2 ** 20).toFixed(0)}`,
  );
});

test('releaseMemory leaves small drops to V8 and reports nothing missing', async () => {
  assert.equal(await releaseMemory(RELEASE_MIN_BYTES - 1), true);
});
