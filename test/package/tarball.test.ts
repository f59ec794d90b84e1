/**
 * The package as a user gets it: `npm pack`, then the tarball installed into an empty folder (with
 * onnxruntime-node's CUDA download skipped, as the README tells consumers), where `npx featscope
 * demo` must run the whole job. This catches files missing from `files` in package.json.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'fs-tarball-'));
const consumer = join(work, 'consumer');
let tarball = '';

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_fund: 'false' },
  });
  assert.equal(r.status, 0, `npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(() => {
  // npm pack runs `prepare` (the build), so the tarball holds this tree's dist/ and wasm/.
  const out = npm(['pack', '--json', '--pack-destination', work], ROOT);
  const start = out.indexOf('[');
  tarball = join(work, (JSON.parse(out.slice(start)) as { filename: string }[])[0].filename);
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  writeFileSync(join(consumer, '.npmrc'), 'onnxruntime-node-install=skip\n');
  npm(['install', '--no-audit', '--prefer-offline', tarball], consumer);
});

test('the tarball holds the licence, the demo and nothing the runtime does not need', () => {
  const pkg = join(consumer, 'node_modules', 'featscope');
  for (const f of [
    'LICENSE',
    'README.md',
    'examples/fashion-mnist/classes.json',
    'examples/fashion-mnist/model.onnx',
  ])
    assert.ok(existsSync(join(pkg, f)), `${f} is missing from the package`);
  assert.equal(readdirSync(join(pkg, 'examples', 'fashion-mnist', 'data')).length, 10);
  assert.ok(readdirSync(join(pkg, 'wasm')).some((f) => f.endsWith('.wasm')));
  assert.ok(!existsSync(join(pkg, 'src')), 'sources are not shipped, dist/ is');
  assert.ok(!existsSync(join(pkg, 'test')));
});

test('npx featscope demo runs from the installed tarball', () => {
  const r = spawnSync('npx', ['--no-install', 'featscope', 'demo', '--out', 'demo-out'], {
    cwd: consumer,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  for (const f of [
    'predictions.csv',
    'features.npy',
    'tsne-2d.png',
    'tsne-2d.html',
    'tsne-3d.html',
    'index.html',
  ])
    assert.ok(existsSync(join(consumer, 'demo-out', f)), f);
  assert.match(readFileSync(join(consumer, 'demo-out', 'index.html'), 'utf8'), /accuracy/i);
});
