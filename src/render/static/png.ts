import { Resvg } from '@resvg/resvg-js';
import { crc32 } from '../png-encode.js';
import { bundledFaces, type FontFace, latinFace } from './font-faces.js';

/**
 * Rasterises an SVG with resvg at `widthPx` pixels wide, and stamps the PNG with a pHYs chunk
 * saying `dpi`, so image viewers and LaTeX size it at the intended physical width. Fonts: only
 * `faces` (default: every bundled face), never the system's, so the result is the same on every
 * machine; our SVGs name a face per text run (see `svgText`). Reading the CJK faces costs time,
 * so callers that know which faces the text uses (`FigureSvg.faces`) pass just those.
 */
export function svgToPng(
  svg: string,
  widthPx: number,
  dpi: number,
  faces: readonly FontFace[] = [...bundledFaces().values()],
): Uint8Array {
  const files = new Set<string>();
  for (const f of [latinFace(), ...faces]) files.add(f.regular.path).add(f.bold.path);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(widthPx) },
    background: '#ffffff',
    font: {
      fontFiles: [...files],
      loadSystemFonts: false,
      defaultFontFamily: latinFace().family,
      sansSerifFamily: latinFace().family,
    },
  });
  const png = resvg.render().asPng();
  return withPhys(new Uint8Array(png.buffer, png.byteOffset, png.byteLength), dpi);
}

/**
 * Inserts (or replaces) the pHYs chunk right after IHDR: pixels per metre on both axes, unit 1
 * (metre), as PNG spec section 11.3.5.3 requires; 300 dpi = 11811 px/m.
 */
export function withPhys(png: Uint8Array, dpi: number): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const ihdrEnd = 8 + 8 + view.getUint32(8) + 4;
  const chunks: Uint8Array[] = [png.subarray(0, ihdrEnd)];
  // Copy the remaining chunks, dropping any pHYs resvg may already have written.
  let pos = ihdrEnd;
  while (pos < png.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(png[pos + 4], png[pos + 5], png[pos + 6], png[pos + 7]);
    const end = pos + 12 + len;
    if (type !== 'pHYs') chunks.push(png.subarray(pos, end));
    pos = end;
  }
  const ppm = Math.round(dpi / 0.0254);
  const phys = new Uint8Array(21);
  const pv = new DataView(phys.buffer);
  pv.setUint32(0, 9);
  phys.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  pv.setUint32(8, ppm);
  pv.setUint32(12, ppm);
  phys[16] = 1;
  pv.setUint32(17, crc32(phys.subarray(4, 17)));
  chunks.splice(1, 0, phys);
  const out = new Uint8Array(chunks.reduce((s, ch) => s + ch.length, 0));
  let o = 0;
  for (const ch of chunks) {
    out.set(ch, o);
    o += ch.length;
  }
  return out;
}
