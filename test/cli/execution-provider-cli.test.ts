/**
 * `--execution-provider cuda` on a machine without ONNX Runtime's CUDA libraries (this repository's
 * .npmrc skips them; CI has no GPU): one clear paragraph with the install steps and the CPU way out,
 * not ONNX Runtime's log line, and nothing written. Where the libraries are installed, the run must
 * either succeed and record 'cuda' in run.json or fail with the same kind of paragraph.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cudaProviderLibrary, cudaStartError } from '../../src/model/cuda-provider.js';
import { assertRefused, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';

test('--execution-provider cuda that cannot start is one paragraph with what to do, never a CPU fallback', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fs-cuda-')), 'out');
  const args = ['classify', '--model', join(EXAMPLE, 'model.onnx'), '--data', exampleSubset(1), '--out', out];
  const r = await runCli([...args, '--execution-provider', 'cuda']);
  const lib = cudaProviderLibrary();
  if (r.code === 0) {
    assert.ok(lib !== null && existsSync(lib), 'cuda ran only where its provider library is installed');
    assert.equal(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).options.executionProvider, 'cuda');
    return;
  }
  assertRefused({ ...r, out }, /--execution-provider cuda cannot start: /);
  assert.match(r.stderr, /ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/);
  assert.match(r.stderr, /CUDA 12\.x .*cuDNN 9\.x/);
  assert.match(r.stderr, /--execution-provider cpu/);
  assert.doesNotMatch(r.stderr, /\[E:onnxruntime|provider_bridge/, 'no ONNX Runtime log line');
  if (lib !== null && !existsSync(lib))
    assert.match(r.stderr, /libonnxruntime_providers_cuda\.so is missing/);
});

test('a model that cannot start while decode threads are booting: the same refusal, and the process exits', async () => {
  // 100 files and --decode-threads 2: the decode workers start before the model is opened.
  const out = join(mkdtempSync(join(tmpdir(), 'fs-cuda-pool-')), 'out');
  const data = exampleSubset(10);
  const args = ['classify', '--model', join(EXAMPLE, 'model.onnx'), '--data', data, '--out', out];
  const r = await runCli([...args, '--decode-threads', '2', '--execution-provider', 'cuda']);
  if (r.code === 0) return; // a machine with the CUDA provider: covered by the test above
  assertRefused({ ...r, out }, /--execution-provider cuda cannot start: /);
});

test("the CUDA start error names the missing part from ONNX Runtime's message", () => {
  const cases: [string, RegExp][] = [
    [
      'Failed to load library libonnxruntime_providers_cuda.so with error: libcudnn.so.9: cannot open shared object file',
      /cuDNN 9 is not installed/,
    ],
    ['libcublasLt.so.12: cannot open shared object file', /CUDA 12 runtime libraries/],
    ['CUDA failure 100: no CUDA-capable device is detected', /no NVIDIA GPU is visible/],
    ['CUDA driver version is insufficient for CUDA runtime version', /driver is too old/],
    [
      'something else\nsecond line',
      /the CUDA provider failed to load\. ONNX Runtime said: something else\. /,
    ],
  ];
  for (const [msg, want] of cases) {
    const e = cudaStartError(msg);
    assert.match(e.message, want, msg);
    assert.match(e.message, /--execution-provider cpu/);
    assert.ok(!e.message.includes('\n'), 'one paragraph');
  }
});
