/**
 * Code cites the project's own design document (docs/architecture.md), never a file outside the
 * repository: a reader of a clone or of the package must be able to follow every reference.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' || name === 'out' ? [] : files(p);
    return /\.(ts|mjs|js|py|md)$/.test(name) ? [p] : [];
  });
}

test('no file cites a design document outside the repository', () => {
  const offenders = ['src', 'asm', 'test', 'bench', 'scripts', 'docs', 'examples']
    .flatMap((d) => files(join(ROOT, d)))
    .concat(join(ROOT, 'README.md'))
    .filter((f) => f !== fileURLToPath(import.meta.url))
    .filter((f) => /DESIGN\.md|STYLE\.md|\.\.\/shared\//.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  assert.deepEqual(offenders, []);
});

test('every docs/architecture.md section that code cites exists', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const sections = new Set([...doc.matchAll(/^## (\d+)\./gm)].map((m) => m[1]));
  const cited = files(join(ROOT, 'src')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/architecture\.md section (\d+)/g)].map((m) => m[1]),
  );
  assert.ok(cited.length > 0);
  assert.deepEqual(
    [...new Set(cited)].filter((s) => !sections.has(s)),
    [],
  );
});
