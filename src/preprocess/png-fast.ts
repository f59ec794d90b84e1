/**
 * A fast path for small 8-bit PNGs (Fashion-MNIST, CIFAR, thumbnails-sized test sets), where the
 * fixed per-call overhead of a libvips pipeline costs more than decoding itself: parse chunks, inflate
 * IDAT with Node's zlib, undo the row filters (PNG spec section 9). Anything unusual (16-bit, sub-byte
 * depths, interlacing, APNG) returns null so the caller falls back to sharp, which handles every case.
 */
import { inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Above this many pixels sharp's own decoder is as fast; keep the fast path for small images. */
const MAX_PIXELS = 512 * 512;

export interface DecodedPng {
  data: Uint8Array;
  width: number;
  height: number;
  /** Interleaved channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (palette images expand to 3 or 4). */
  channels: number;
}

/** Decodes a plain 8-bit PNG, or returns null when the file should go to the general decoder. */
export function decodeSmallPng(b: Uint8Array): DecodedPng | null {
  if (b.length < 33 || SIGNATURE.some((v, i) => b[i] !== v)) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= b.length) {
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]);
    const start = pos + 8;
    if (start + len + 4 > b.length) return null; // truncated: let the general decoder report it
    const body = b.subarray(start, start + len);
    if (type === 'IHDR') {
      width = dv.getUint32(start);
      height = dv.getUint32(start + 4);
      const depth = b[start + 8];
      colorType = b[start + 9];
      const interlace = b[start + 12];
      if (depth !== 8 || interlace !== 0 || width * height > MAX_PIXELS || width === 0 || height === 0)
        return null;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'acTL')
      return null; // animated
    else if (type === 'IEND') break;
    pos = start + len + 4;
  }
  const bpp = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!bpp || idat.length === 0) return null;
  // tRNS on grey/RGB images makes libvips add an alpha channel that convert() would drop anyway;
  // leave those rare files to sharp to keep one behaviour.
  if (trns && colorType !== 3) return null;
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  } catch {
    return null;
  }
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) return null;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const out = y * stride;
    const prev = out - stride;
    for (let x = 0; x < stride; x++) {
      const r = raw[src + x];
      const a = x >= bpp ? px[out + x - bpp] : 0;
      const up = y > 0 ? px[prev + x] : 0;
      let v: number;
      if (filter === 0) v = r;
      else if (filter === 1) v = r + a;
      else if (filter === 2) v = r + up;
      else if (filter === 3) v = r + ((a + up) >> 1);
      else if (filter === 4) {
        const c = x >= bpp && y > 0 ? px[prev + x - bpp] : 0;
        const p = a + up - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - c);
        v = r + (pa <= pb && pa <= pc ? a : pb <= pc ? up : c);
      } else return null;
      px[out + x] = v & 0xff;
    }
  }
  if (colorType !== 3) return { data: px, width, height, channels: bpp };
  if (!palette) return null;
  const withAlpha = trns !== null;
  const ch = withAlpha ? 4 : 3;
  const data = new Uint8Array(width * height * ch);
  for (let i = 0; i < width * height; i++) {
    const idx = px[i];
    if (idx * 3 + 2 >= palette.length) return null;
    data[i * ch] = palette[idx * 3];
    data[i * ch + 1] = palette[idx * 3 + 1];
    data[i * ch + 2] = palette[idx * 3 + 2];
    if (withAlpha) data[i * ch + 3] = idx < trns!.length ? trns![idx] : 255;
  }
  return { data, width, height, channels: ch };
}
