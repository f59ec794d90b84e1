/**
 * Channel conversions that match Pillow's `Image.convert('RGB')` and `Image.convert('L')`
 * (what torchvision's ImageFolder loader and `Grayscale` use):
 * - alpha is dropped, not composited (Pillow's RGBA -> RGB keeps the colour channels as they are);
 * - L -> RGB replicates the value;
 * - RGB -> L is ITU-R 601-2 luma in Pillow's fixed point: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
 */

/** Converts interleaved 8-bit pixels with 1-4 channels to 1 (L) or 3 (RGB) channels. */
export function convertChannels(
  src: Uint8Array,
  pixels: number,
  inChannels: number,
  outChannels: 1 | 3,
): Uint8Array {
  const hasColour = inChannels >= 3;
  if (outChannels === 3) {
    const out = new Uint8Array(pixels * 3);
    for (let i = 0; i < pixels; i++) {
      const p = i * inChannels;
      if (hasColour) {
        out[i * 3] = src[p];
        out[i * 3 + 1] = src[p + 1];
        out[i * 3 + 2] = src[p + 2];
      } else {
        out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = src[p];
      }
    }
    return out;
  }
  const out = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const p = i * inChannels;
    out[i] = hasColour ? (src[p] * 19595 + src[p + 1] * 38470 + src[p + 2] * 7471 + 0x8000) >>> 16 : src[p];
  }
  return out;
}
