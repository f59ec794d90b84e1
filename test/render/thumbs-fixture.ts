import sharp from 'sharp';

/** A tiny solid-colour WebP as a data URI: distinct, recognisable thumbnails for page tests. */
export async function solidThumbnail(r: number, g: number, b: number, side = 16): Promise<string> {
  const buf = await sharp({ create: { width: side, height: side, channels: 3, background: { r, g, b } } })
    .webp({ quality: 70 })
    .toBuffer();
  return `data:image/webp;base64,${buf.toString('base64')}`;
}
