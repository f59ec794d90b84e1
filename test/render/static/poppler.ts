import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Path of a poppler-utils tool. The PDF tests need poppler to look at what a reader sees; without
 * it they fail with this message (they never skip: CI installs poppler-utils).
 */
export function poppler(tool: 'pdftoppm' | 'pdffonts' | 'pdftotext'): string {
  const path = `/usr/bin/${tool}`;
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install poppler-utils (apt-get install poppler-utils) to run the PDF tests`,
    );
  }
  return path;
}

function withPdf<T>(pdf: Uint8Array, use: (dir: string, file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'featscope-pdf-'));
  try {
    const file = join(dir, 'f.pdf');
    writeFileSync(file, pdf);
    return use(dir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first page rasterised by pdftoppm at `dpi`, as PNG bytes. */
export function rasterisePdf(pdf: Uint8Array, dpi: number): Buffer {
  return withPdf(pdf, (dir, file) => {
    execFileSync(poppler('pdftoppm'), ['-r', String(dpi), '-png', '-singlefile', file, join(dir, 'f')]);
    return readFileSync(join(dir, 'f.png'));
  });
}

/** The fonts `pdffonts` lists: PostScript name (subset tag removed), type, embedded, subset, ToUnicode. */
export function pdfFonts(
  pdf: Uint8Array,
): { name: string; type: string; emb: boolean; sub: boolean; uni: boolean }[] {
  const out = withPdf(pdf, (_dir, file) => execFileSync(poppler('pdffonts'), [file]).toString());
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.trim().split(/\s+/);
      // name type... encoding emb sub uni object ID: flags are the 5th to 3rd fields from the end.
      const [emb, sub, uni] = f.slice(-5, -2).map((v) => v === 'yes');
      return { name: f[0].replace(/^[A-Z]{6}\+/, ''), type: f.slice(1, -6).join(' '), emb, sub, uni };
    });
}

/** The text pdftotext extracts (what a reader can copy). */
export function pdfText(pdf: Uint8Array): string {
  return withPdf(pdf, (_dir, file) => execFileSync(poppler('pdftotext'), [file, '-']).toString());
}
