import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exposeOutputs, modelBufferWithRoom, OUTPUT_ROOM_BYTES } from '../../src/model/expose-outputs.js';
import { parseOnnxModel } from '../../src/model/onnx-model.js';
import { readModelFile } from '../../src/model/session.js';

const MODEL = join(import.meta.dirname, '..', '..', 'examples', 'fashion-mnist', 'model.onnx');

test('exposeOutputs appends the outputs in the room behind bytes read with room, the same bytes as a copy', () => {
  const file = readFileSync(MODEL);
  const roomy = modelBufferWithRoom(file.length);
  roomy.set(file);
  const names = ['/features/features.0/Conv_output_0', 'x2'];
  const copied = exposeOutputs(new Uint8Array(file), names);
  const inPlace = exposeOutputs(roomy, names);
  assert.equal(inPlace.buffer, roomy.buffer, 'no copy of the model');
  assert.deepEqual(inPlace, copied);
  assert.ok(copied.length > file.length && copied.length - file.length < OUTPUT_ROOM_BYTES);
  assert.deepEqual(roomy, new Uint8Array(file), 'the model bytes themselves are unchanged');
  const graphOutputs = parseOnnxModel(inPlace).outputs.map((o) => o.name);
  for (const name of names) assert.ok(graphOutputs.includes(name), `${name} is a graph output`);
});

test('exposeOutputs never writes behind bytes it was not given room for (a pooled Buffer is copied)', () => {
  const pool = Buffer.from(new Uint8Array(64).fill(7));
  const model = pool.subarray(0, 16);
  const out = exposeOutputs(model, ['y']);
  assert.notEqual(out.buffer, pool.buffer);
  assert.deepEqual([...pool.subarray(16)], new Array(48).fill(7), 'the bytes behind the model are untouched');
  assert.deepEqual(out.subarray(0, 16), new Uint8Array(model));
});

test('readModelFile reads the whole model into a buffer with room, so exposing a layer copies nothing', async () => {
  const { bytes, sha256 } = await readModelFile(MODEL);
  const file = readFileSync(MODEL);
  assert.deepEqual(bytes, new Uint8Array(file));
  assert.match(sha256, /^[0-9a-f]{64}$/);
  assert.equal(exposeOutputs(bytes, ['z']).buffer, bytes.buffer);
});
