import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { decodeNpyMatrix, encodeNpyFloat32, halfToFloat, npyFloat32Pieces } from '../../src/io/npy.js';

function npy(descr: string, shape: string, body: Uint8Array, version = 1, fortran = 'False'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const pre = version === 1 ? 10 : 12;
  header += ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, header.length, true);
  else dv.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), pre);
  out.set(body, pre + header.length);
  return out;
}

test('float32 round trip with a numpy-compatible, 64-byte aligned v1.0 header', () => {
  const data = Float32Array.from({ length: 12 }, (_, i) => i * 0.25 - 1);
  const bytes = encodeNpyFloat32(data, [3, 4]);
  const headerLen = bytes[8] | (bytes[9] << 8);
  assert.equal((10 + headerLen) % 64, 0);
  const text = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
  assert.match(text, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \} *\n$/);
  const m = decodeNpyMatrix(bytes);
  assert.equal(m.rows, 3);
  assert.equal(m.cols, 4);
  assert.deepEqual(m.data, data);
});

test('float64 and float16 files and v2.0 headers are accepted', () => {
  const f64 = new Float64Array([1.5, -2, 3.25, 4]);
  const a = decodeNpyMatrix(npy('<f8', '(2, 2)', new Uint8Array(f64.buffer), 2));
  assert.deepEqual([...a.data], [1.5, -2, 3.25, 4]);
  const halves = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0000]); // 1, -2, ~0.3333, 0
  const b = decodeNpyMatrix(npy('<f2', '(4,)', new Uint8Array(halves.buffer)));
  assert.equal(b.cols, 1);
  assert.equal(b.data[1], -2);
  assert.ok(Math.abs(b.data[2] - 1 / 3) < 1e-3);
  assert.equal(halfToFloat(0x7c00), Number.POSITIVE_INFINITY);
});

test('wrong dtype, rank, order, version or size are user errors that say what to do', () => {
  const four = new Uint8Array(16);
  const cases: [Uint8Array, RegExp][] = [
    [npy('<i8', '(2, 1)', four), /dtype is <i8/],
    [npy('<f4', '(1, 2, 2)', four), /shape is \(1, 2, 2\)/],
    [npy('<f4', '(2, 2)', four, 1, 'True'), /Fortran order/],
    [npy('<f4', '(2, 2)', four, 9), /version 9/],
    [npy('<f4', '(4, 4)', four), /64 expected/],
    [new TextEncoder().encode('x,y\n1,2\n'), /magic/],
  ];
  for (const [bytes, msg] of cases) {
    assert.throws(
      () => decodeNpyMatrix(bytes, 'f.npy'),
      (e: Error) => e instanceof UserError && msg.test(e.message) && /numpy\.save/.test(e.message),
    );
  }
});

test('npyFloat32Pieces: the header and a view of the values, together the bytes of encodeNpyFloat32', () => {
  const data = Float32Array.from({ length: 3 * 5 }, (_, i) => i * 0.25 - 1);
  const pieces = npyFloat32Pieces(data.subarray(0, 12), [3, 4]);
  assert.deepEqual(Buffer.concat(pieces), Buffer.from(encodeNpyFloat32(data.subarray(0, 12), [3, 4])));
  assert.equal(pieces.at(-1)!.buffer, data.buffer, 'the values are not copied');
  assert.throws(() => npyFloat32Pieces(data, [3, 4]), /does not match/);
});
