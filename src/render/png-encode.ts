/**
 * A minimal PNG writer for small 8-bit images held in memory (PNG spec, ISO/IEC 15948): one IHDR,
 * one zlib-compressed IDAT, IEND. Used for thumbnails of in-memory pixels (MNIST-family IDX data),
 * where a libvips pipeline per image costs more than the encoding itself.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as the PNG specification (annex D) defines it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * An 8-bit grey (1 channel) or RGB (3 channels) PNG of interleaved `data`. Each row is stored with
 * the Sub filter when that gives smaller sums of absolute values than none (the spec's heuristic),
 * which is what small photos and digits compress best with.
 */
export function encodePng(data: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  const stride = width * channels;
  if (data.length < stride * height)
    throw new RangeError(`encodePng: ${data.length} bytes for ${width}x${height}x${channels}`);
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const src = y * stride;
    const dst = y * (stride + 1);
    let plain = 0;
    let sub = 0;
    for (let x = 0; x < stride; x++) {
      const v = data[src + x];
      const d = x >= channels ? (v - data[src + x - channels]) & 0xff : v;
      plain += v < 128 ? v : 256 - v;
      sub += d < 128 ? d : 256 - d;
    }
    const useSub = sub < plain;
    raw[dst] = useSub ? 1 : 0;
    for (let x = 0; x < stride; x++) {
      const v = data[src + x];
      raw[dst + 1 + x] = useSub && x >= channels ? (v - data[src + x - channels]) & 0xff : v;
    }
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: grey or RGB
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(8 + chunks.reduce((s, c) => s + c.length, 0));
  out.set(SIGNATURE, 0);
  let o = 8;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** One chunk: length, type, body, CRC of type + body. */
function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}
