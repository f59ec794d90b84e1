/**
 * A smaller ImageFolder tree holding N images spread evenly over a bigger one, so featscope and the
 * Python recipe both get the very same folder (rather than each applying its own --limit).
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { extname, join } from 'node:path';

/** torchvision.datasets.folder.IMG_EXTENSIONS, matched case-insensitively as ImageFolder does. */
const IMG_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp']);

/** Relative paths `<class>/<file>` in ImageFolder order: class folders sorted, files sorted within each. */
export function imageFolderFiles(root: string): string[] {
  // Python's sorted() compares code points; for the ASCII names here that equals JS's default sort.
  const classes = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const files: string[] = [];
  for (const c of classes) {
    const names = readdirSync(join(root, c))
      .filter((f) => IMG_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
    for (const f of names) files.push(`${c}/${f}`);
  }
  return files;
}

/**
 * Indices round(linspace(0, count - 1, n)), deduplicated: every class keeps about n / classes images,
 * the same spread as bench/e2e/recipe.py's --limit.
 */
export function evenlySpread(count: number, n: number): number[] {
  if (n >= count) return Array.from({ length: count }, (_, i) => i);
  if (n <= 1) return n === 1 ? [0] : [];
  const step = (count - 1) / (n - 1);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(Math.round(i * step));
  return [...out];
}

/**
 * Makes (once) `dst` holding `n` images of `src` spread evenly; hard links where possible, copies
 * otherwise. Returns the number of images. Built in `<dst>.partial` and renamed when complete.
 */
export function makeSubset(src: string, dst: string, n: number): number {
  const files = imageFolderFiles(src);
  const picked = evenlySpread(files.length, n).map((i) => files[i]);
  if (existsSync(dst) && imageFolderFiles(dst).join('\n') === picked.join('\n')) return picked.length;
  const partial = `${dst}.partial`;
  rmSync(partial, { recursive: true, force: true });
  for (const rel of picked) {
    const target = join(partial, rel);
    mkdirSync(join(target, '..'), { recursive: true });
    try {
      linkSync(join(src, rel), target);
    } catch {
      copyFileSync(join(src, rel), target);
    }
  }
  rmSync(dst, { recursive: true, force: true });
  renameSync(partial, dst);
  return picked.length;
}
