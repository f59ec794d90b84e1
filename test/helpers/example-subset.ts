/** A small ImageFolder copied from the bundled Fashion-MNIST example, for end-to-end tests. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'fashion-mnist');

export function exampleSubset(perClass: number, classes?: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'fs-example-'));
  const all = readdirSync(join(EXAMPLE, 'data')).sort();
  for (const c of classes ?? all) {
    mkdirSync(join(root, c));
    for (const f of readdirSync(join(EXAMPLE, 'data', c))
      .sort()
      .slice(0, perClass)) {
      copyFileSync(join(EXAMPLE, 'data', c, f), join(root, c, f));
    }
  }
  return root;
}
