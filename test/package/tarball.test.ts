/**
 * The package as a user gets it: `npm pack`, then the tarball installed into an empty folder (with
 * onnxruntime-node's CUDA download skipped, as the README tells consumers), where `npx featscope
 * demo` must run the whole job. This catches files missing from `files` in package.json. There the
 * README's "Use it from Node" example is type-checked against the installed declarations and run.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';

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

// The installed folder holds a copy of every dependency: remove it.
after(() => rmSync(work, { recursive: true, force: true }));

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

/** The TypeScript between the README's node-example markers: the example the suite runs. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- node-example:start -->\n```ts\n([\s\S]*?)```\n<!-- node-example:end -->/.exec(readme);
  assert.ok(m, 'README.md has no ts block between <!-- node-example:start --> and <!-- node-example:end -->');
  return m[1];
}

/** The other subpaths, beside the README's `featscope` and `featscope/tsne`: npy in, PCA two ways. */
const SUBPATHS = `
import { decodeNpyMatrix, encodeNpyFloat32 } from 'featscope/io';
import { pca, reduce, umap } from 'featscope/reduce';
import { renderInteractivePage, renderReport } from 'featscope/render';
const values = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) + (i % 3));
const x = decodeNpyMatrix(encodeNpyFloat32(values, [20, 3]));
const r = await reduce(x, { method: 'pca', dims: 2 });
const p = pca(x, { components: 2 });
const same = r.embedding.every((v, i) => v === p.embedding[i]);
console.log(JSON.stringify({ rows: x.rows, cols: x.cols, same, fns: [umap, renderInteractivePage, renderReport].map((f) => typeof f) }));
`;

test("the README's Node example type-checks against the installed package and runs", () => {
  writeFileSync(join(consumer, 'example.ts'), readmeExample());
  writeFileSync(join(consumer, 'subpaths.ts'), SUBPATHS);
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022'],
        strict: true,
        outDir: 'build',
        // Node's types from this repository; the package's own declarations are checked too.
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['example.ts', 'subpaths.ts'],
    }),
  );
  const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
    cwd: consumer,
    encoding: 'utf8',
  });
  assert.equal(tsc.status, 0, `tsc:\n${tsc.stdout}\n${tsc.stderr}`);
  const r = spawnSync(process.execPath, [join('build', 'example.js')], { cwd: consumer, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^2000 images, \d+ features each$/m);
  // Aborted from onIteration at 250; run() sees the signal between iterations within a few of them,
  // well before the 750 of a whole run.
  const stopped = /^t-SNE stopped at iteration (\d+) of 750$/m.exec(r.stdout);
  assert.ok(stopped, r.stdout);
  const at = Number(stopped[1]);
  assert.ok(at >= 250 && at < 300, `stopped at ${at}`);
  const sub = spawnSync(process.execPath, [join('build', 'subpaths.js')], {
    cwd: consumer,
    encoding: 'utf8',
  });
  assert.equal(sub.status, 0, sub.stderr);
  assert.deepEqual(JSON.parse(sub.stdout), {
    rows: 20,
    cols: 3,
    same: true,
    fns: ['function', 'function', 'function'],
  });
  const png = readFileSync(join(consumer, 'tsne-2d.png'));
  return sharp(png)
    .metadata()
    .then((meta) => {
      assert.equal(meta.format, 'png');
      assert.ok((meta.width ?? 0) > 1000, `figure width ${meta.width}`);
    });
});
