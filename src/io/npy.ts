/**
 * NumPy `.npy` files (format v1.0, and reading v2.0/v3.0): the features contract of docs/architecture.md section 2
 * is `<f4`, C order, shape [N, D]. Reading also accepts `<f8` and `<f2` (converted to float32), since
 * users hand us features saved by their own Python code.
 * Format reference: numpy/lib/format.py (magic, version bytes, little-endian header length, a Python
 * dict literal padded with spaces to a multiple of 64 bytes and ending in "\n").
 */
import { UserError } from '../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/**
 * The v1.0 `.npy` header (magic, version, length, dict literal) of a little-endian float32 array of
 * `shape`; the values follow it. Streaming writers (`featscope merge`) write it before the rows.
 */
export function npyFloat32Header(shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Total header (magic 6 + version 2 + length 2 + text) padded to a multiple of 64, ending in \n.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64);
  header += '\n';
  const out = new Uint8Array(10 + header.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/**
 * The bytes of a float32 `.npy` file as pieces to write one after the other (writeFileAtomicFrom):
 * the header, then the values themselves without a copy (a view of `data`; on a big-endian machine,
 * one little-endian copy). A features file of 50,000 x 4096 floats is 800 MB, so the copy matters.
 */
export function npyFloat32Pieces(data: Float32Array, shape: readonly number[]): Uint8Array[] {
  if (!isLittleEndian()) return [encodeNpyFloat32(data, shape)];
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape ${shape} does not match ${data.length} values`);
  return [npyFloat32Header(shape), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}

/** Encodes a float32 matrix as a v1.0 `.npy` file. */
export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape ${shape} does not match ${data.length} values`);
  const header = npyFloat32Header(shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (isLittleEndian()) out.set(body, header.length);
  else {
    const dv = new DataView(out.buffer, header.length);
    for (let i = 0; i < data.length; i++) dv.setFloat32(i * 4, data[i], true);
  }
  return out;
}

export interface NpyArray {
  /** Values in C order, converted to float32. */
  data: Float32Array;
  shape: number[];
  /** The dtype found in the file, e.g. `<f4`. */
  dtype: string;
}

export interface NpyMatrix {
  /** Row-major float32 values, `rows * cols` long. */
  data: Float32Array;
  rows: number;
  cols: number;
  /** The dtype found in the file, e.g. `<f4`. */
  dtype: string;
}

/**
 * Decodes a 2-D float `.npy` (1-D arrays are read as one column). `source` names the file in errors.
 */
export function decodeNpyMatrix(bytes: Uint8Array, source = 'features file'): NpyMatrix {
  const a = decodeNpy(bytes, source, 2);
  return { data: a.data, rows: a.shape[0], cols: a.shape.length === 2 ? a.shape[1] : 1, dtype: a.dtype };
}

/** Decodes a float `.npy` of any rank up to `maxRank`. */
export function decodeNpy(bytes: Uint8Array, source = 'features file', maxRank = 8): NpyArray {
  const fail = (why: string): never => {
    throw new UserError(
      `${source} is not a usable NumPy feature matrix: ${why}. Save features with ` +
        'numpy.save(path, array.astype(numpy.float32)) as a 2-D array of shape [N, D].',
    );
  };
  const { descr, shape, view, count, size } = npyLayout(bytes, fail, maxRank, {
    '<f4': 4,
    '<f8': 8,
    '<f2': 2,
    '|f4': 4,
  });
  const data = new Float32Array(count);
  if (size === 4) for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
  else if (size === 8) for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
  else for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
  return { data, shape, dtype: descr };
}

/** Integer dtypes a label array may have, and the float ones accepted when they hold whole numbers. */
const LABEL_DTYPES: Record<string, number> = {
  '|i1': 1,
  '|u1': 1,
  '<i2': 2,
  '<u2': 2,
  '<i4': 4,
  '<u4': 4,
  '<i8': 8,
  '<u8': 8,
  '<f4': 4,
  '<f8': 8,
};

/**
 * Decodes a `.npy` of class ids, shape (N,) or (N, 1): any integer dtype, or floats holding whole
 * numbers. -1 means "no label". `source` names the file in errors.
 */
export function decodeNpyLabels(bytes: Uint8Array, source: string): { ids: Int32Array; dtype: string } {
  const fail = (why: string): never => {
    throw new UserError(
      `${source} is not a usable NumPy label array: ${why}. Save labels with ` +
        'numpy.save(path, labels.astype(numpy.int64)) as a 1-D array with one class id per feature row.',
    );
  };
  const { descr, shape, view, count, size } = npyLayout(bytes, fail, 2, LABEL_DTYPES);
  if (shape.length === 2 && shape[1] !== 1) {
    fail(
      `its shape is (${shape.join(', ')}); one id per row is needed (for one-hot rows save labels.argmax(1))`,
    );
  }
  const ids = new Int32Array(count);
  const signed = descr[1] !== 'u';
  for (let i = 0; i < count; i++) {
    const at = i * size;
    let v: number;
    if (descr[1] === 'f') v = size === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
    else if (size === 1) v = signed ? view.getInt8(at) : view.getUint8(at);
    else if (size === 2) v = signed ? view.getInt16(at, true) : view.getUint16(at, true);
    else if (size === 4) v = signed ? view.getInt32(at, true) : view.getUint32(at, true);
    else v = Number(signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
    if (!Number.isInteger(v)) fail(`row ${i} holds ${v}, not a whole class id`);
    if (v < -1 || v > 2 ** 31 - 1) fail(`row ${i} holds ${v}; class ids run from 0 (and -1 for "no label")`);
    ids[i] = v;
  }
  return { ids, dtype: descr };
}

/** Parses the header and checks the body size; `dtypes` maps accepted descr strings to item sizes. */
function npyLayout(
  bytes: Uint8Array,
  fail: (why: string) => never,
  maxRank: number,
  dtypes: Record<string, number>,
): { descr: string; shape: number[]; view: DataView; count: number; size: number } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    fail('it does not start with the .npy magic');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let offset: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('the header is truncated');
    headerLen = dv.getUint32(8, true);
    offset = 12;
  } else return fail(`format version ${major} is unknown`);
  if (offset + headerLen > bytes.length) fail('the header is truncated');
  const header = new TextDecoder().decode(bytes.subarray(offset, offset + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) return fail('its header cannot be parsed');
  if (fortran === 'True') fail('it is stored in Fortran order; save it with numpy.ascontiguousarray first');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.length === 0 || shape.length > maxRank || shape.some((v) => !Number.isInteger(v) || v < 0)) {
    fail(
      `its shape is (${shapeText}); ${maxRank === 2 ? 'a 2-D array [N, D]' : `at most ${maxRank} dimensions`} is needed`,
    );
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const body = offset + headerLen;
  const size = dtypes[descr];
  if (!size) {
    const known = Object.keys(dtypes).filter((d) => !d.startsWith('|f'));
    return fail(
      dtypes['<f2']
        ? `its dtype is ${descr}; float32 (<f4), float64 (<f8) or float16 (<f2) is needed`
        : `its dtype is ${descr}; one of ${known.join(', ')} is needed`,
    );
  }
  if (bytes.length - body < count * size)
    fail(`it holds ${bytes.length - body} data bytes, ${count * size} expected`);
  return {
    descr,
    shape,
    view: new DataView(bytes.buffer, bytes.byteOffset + body, count * size),
    count,
    size,
  };
}

/** IEEE 754 binary16 -> number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
