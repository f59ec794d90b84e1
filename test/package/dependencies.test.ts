/**
 * Runtime dependencies are only what the runtime uses: every package in `dependencies` is named in
 * src/ (imported, or resolved for its files, as the fonts are); benchmark peers and build tools
 * belong in `devDependencies`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every runtime dependency is used by src/', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const text = sources(join(ROOT, 'src'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const unused = Object.keys(pkg.dependencies).filter((dep) => !text.includes(`'${dep}`));
  assert.deepEqual(unused, [], `runtime dependencies that src/ never names: ${unused.join(', ')}`);
});
