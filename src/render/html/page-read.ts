/**
 * Reads the data of an interactive page back (format "featscope-page" version 2, see page-data.ts):
 * for scripts that post-process a page, and for the tests.
 */
import type { BinaryArray, BinaryType, PageData } from './page-data.js';

const TYPES: Record<BinaryType, { BYTES_PER_ELEMENT: number; new (b: ArrayBuffer): BinaryArray }> = {
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
};

/** The page's JSON and its binary arrays (decoded from base64 little-endian). */
export function readPageData(html: string): { data: PageData; arrays: Record<string, BinaryArray> } {
  const m = /<script type="application\/json" id="featscope-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('not a featscope page: no featscope-data element');
  const data = JSON.parse(m[1]) as PageData;
  if (data.format !== 'featscope-page' || data.version !== 2) {
    throw new Error(`featscope page data version ${String(data.version)}: this reader knows version 2`);
  }
  const arrays: Record<string, BinaryArray> = {};
  for (const [name, spec] of Object.entries(data.binary)) {
    const b = new RegExp(
      `<script type="application/octet-stream" id="featscope-bin-${name}">([^<]*)</script>`,
    ).exec(html);
    if (!b) throw new Error(`featscope page: binary array ${name} is missing`);
    const bytes = Buffer.from(b[1], 'base64');
    const T = TYPES[spec.type];
    const copy = new ArrayBuffer(bytes.length);
    new Uint8Array(copy).set(bytes);
    if (T.BYTES_PER_ELEMENT > 1 && new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
      const v = Buffer.from(copy);
      if (T.BYTES_PER_ELEMENT === 2) v.swap16();
      else v.swap32();
    }
    const a = new T(copy);
    if (a.length !== spec.length)
      throw new Error(`featscope page: binary array ${name} has ${a.length} entries, not ${spec.length}`);
    arrays[name] = a;
  }
  return { data, arrays };
}
