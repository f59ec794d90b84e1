/**
 * One decode thread of PreparePool (prepare-pool.ts): reads an image file, decodes it with sharp,
 * resizes it with the exact PIL kernel and normalises it (prepareImage), and posts the CHW float32
 * values back, transferring the buffer. Errors go back as their code and first line, so the caller
 * describes them the same way as errors of its own thread.
 */
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { prepareImage } from './image-tensor.js';
import type { ResolvedPreprocess } from './options.js';

export interface PrepareRequest {
  id: number;
  /** A path, or its raw bytes when the name is not valid UTF-8 (a Buffer arrives as a Uint8Array). */
  file: string | Uint8Array;
}

export type PrepareReply =
  | { id: number; data: Float32Array; width: number; height: number }
  | { id: number; error: { code?: string; message: string } };

const pre = (workerData as { pre: ResolvedPreprocess }).pre;
const port = parentPort!;

port.on('message', async ({ id, file }: PrepareRequest) => {
  try {
    const img = await prepareImage(await readFile(typeof file === 'string' ? file : Buffer.from(file)), pre);
    const reply: PrepareReply = { id, data: img.data, width: img.width, height: img.height };
    port.postMessage(reply, [img.data.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reply: PrepareReply = { id, error: { code: err.code, message: String(err.message ?? e) } };
    port.postMessage(reply);
  }
});
port.postMessage('ready');
