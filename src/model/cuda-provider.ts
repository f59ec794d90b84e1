/**
 * `--execution-provider cuda`: what it needs and what the user is told when it cannot start.
 *
 * onnxruntime-node ships its CUDA provider libraries separately from the npm package: on Linux x64
 * its install script downloads them from NuGet (Microsoft.ML.OnnxRuntime.Gpu.Linux, the version of
 * onnxruntime-node) into the binding's folder, unless told to skip (`ONNXRUNTIME_NODE_INSTALL=skip`
 * or the npm config `onnxruntime-node-install=skip`, which this repository's .npmrc sets). Those
 * libraries are built for CUDA 12.x and cuDNN 9.x. Instead of ONNX Runtime's log line, the user gets
 * one paragraph: what failed, why, and how to install the libraries or run on the CPU.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** The library onnxruntime-node loads for the CUDA provider, or null where we do not know its name. */
export function cudaProviderLibrary(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve('onnxruntime-node');
  } catch {
    return null;
  }
  // .../onnxruntime-node/dist/index.js -> .../onnxruntime-node/bin/napi-v6/linux/x64/
  return join(dirname(main), '..', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so');
}

const INSTALL =
  'Install them with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (the variable overrides the ' +
  "npm config onnxruntime-node-install=skip of featscope's .npmrc; the script downloads Microsoft.ML.OnnxRuntime.Gpu.Linux " +
  'from nuget.org) on a machine with an NVIDIA GPU, a driver for CUDA 12, the CUDA 12.x runtime libraries and cuDNN 9.x ' +
  '(README, "GPU (CUDA)"), or run on the CPU with --execution-provider cpu.';

/** Checks, before ONNX Runtime is asked, that the CUDA provider library is installed. */
export function assertCudaProviderInstalled(): void {
  const lib = cudaProviderLibrary();
  if (lib !== null && !existsSync(lib)) {
    throw new UserError(
      `--execution-provider cuda cannot start: ONNX Runtime's CUDA provider libraries are not installed (${lib} is missing; ` +
        `onnxruntime-node downloads them at install time unless told to skip, as featscope's .npmrc does). ${INSTALL}`,
    );
  }
}

/** The paragraph for a CUDA provider that ONNX Runtime could not start (ORT's message -> why). */
export function cudaStartError(ortMessage: string): UserError {
  const m = ortMessage.split('\n')[0];
  let why: string;
  if (/libcudnn/i.test(m)) why = 'cuDNN 9 is not installed or not on the library path (libcudnn.so.9)';
  else if (/libcu(blas|dart|fft|rand)|libnv/i.test(m))
    why = 'the CUDA 12 runtime libraries are not installed or not on the library path (LD_LIBRARY_PATH)';
  else if (/no CUDA-capable device|cudaErrorNoDevice|CUDA_ERROR_NO_DEVICE/i.test(m))
    why = 'no NVIDIA GPU is visible to this process (check nvidia-smi and CUDA_VISIBLE_DEVICES)';
  else if (/driver version is insufficient|cudaErrorInsufficientDriver/i.test(m))
    why = 'the NVIDIA driver is too old for CUDA 12';
  else why = 'the CUDA provider failed to load';
  return new UserError(
    `--execution-provider cuda cannot start: ${why}. ONNX Runtime said: ${m.replace(/\s+/g, ' ').trim()}. ${INSTALL}`,
  );
}
