/**
 * `featscope reduce` on feature files users really hand us: other float widths and npy versions work;
 * wrong dtypes, shapes, headers, non-finite rows and too few points are refused with one paragraph
 * (exit 1, no stack trace) and leave no map behind; identical points run with a warning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/io/csv.js';
import { assertRefused, hasStackTrace, runReduce } from '../helpers/cli.js';
import { bytesOf, npy } from '../helpers/npy.js';
import { seededFloats } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-reduce-cli-'));
const N = 30;
const D = 5;

/** Three well-separated clusters of N points in D dims (deterministic). */
function clusters(): Float64Array {
  const noise = seededFloats(N * D, 11, 0.2);
  return Float64Array.from(noise, (v, i) => v + 4 * (Math.floor(i / D) % 3) * ((i % D) + 1));
}

/** number -> IEEE 754 binary16 bits (round to nearest; normal range is all these tests need). */
function toHalf(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return sign;
  const e = Math.floor(Math.log2(a));
  const m = Math.round((a / 2 ** e - 1) * 1024);
  return m === 1024 ? sign | ((e + 16) << 10) : sign | ((e + 15) << 10) | m;
}

function save(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function reduce(features: string, ...extra: string[]) {
  return runReduce(features, dir, ['--dims', '2', '--iterations', '300', '--perplexity', '5', ...extra]);
}

function mapRows(out: string): number[][] {
  const rows = parseCsv(readFileSync(join(out, 'tsne-2d.csv'), 'utf8'));
  assert.deepEqual(rows[0].slice(0, 2), ['x', 'y']);
  return rows.slice(1).map((r) => [Number(r[0]), Number(r[1])]);
}

test('float64, float16 and npy version 3 feature files are accepted and give finite maps', async () => {
  const x = clusters();
  const files = [
    save('f8.npy', npy('<f8', [N, D], bytesOf(x))),
    // float16 in a version 3 file (numpy writes v3 when the header needs UTF-8).
    save('f2-v3.npy', npy('<f2', [N, D], bytesOf(Uint16Array.from(x, toHalf)), 3)),
  ];
  const results = await Promise.all(files.map((f) => reduce(f)));
  for (const [i, r] of results.entries()) {
    const f = files[i];
    assert.equal(r.code, 0, `${f}\n${r.stderr}`);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
    const xy = mapRows(r.out);
    assert.equal(xy.length, N);
    assert.ok(xy.flat().every(Number.isFinite), f);
    assert.ok(new Set(xy.map((p) => p.join())).size > 1, 'points are spread out');
    const m = JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8'));
    assert.equal(m.features.n, N);
    assert.equal(m.features.dim, D);
    assert.ok(readdirSync(r.out).every((n) => !n.includes('.tmp')));
  }
});

test('wrong dtype, rank, version or header: exit 1 with what was found and how to save features', async () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['i4.npy', npy('<i4', [N, D], bytesOf(new Int32Array(N * D))), /its dtype is <i4; float32 \(<f4\)/],
    [
      '3d.npy',
      npy('<f4', [3, 2, 5], bytesOf(new Float32Array(30))),
      /its shape is \(3, 2, 5\); a 2-D array \[N, D\] is needed/,
    ],
    ['v9.npy', npy('<f4', [N, D], bytesOf(new Float32Array(N * D)), 9), /format version 9 is unknown/],
    ['garbage.npy', npy('<f4', [N, D], new Uint8Array(0)).fill(0x20, 10), /its header cannot be parsed/],
  ];
  // Refused before any work, so the runs are short; run them side by side to keep the file fast.
  const results = await Promise.all(cases.map(([name, bytes]) => reduce(save(name, bytes))));
  for (const [i, [name, , reason]] of cases.entries()) {
    const r = results[i];
    assertRefused(r, reason);
    assert.match(r.stderr, new RegExp(`${name} is not a usable NumPy feature matrix: `));
    assert.match(r.stderr, /numpy\.save\(path, array\.astype\(numpy\.float32\)\)/);
  }
});

test('NaN and infinite rows are refused, naming the rows', async () => {
  const x = Float32Array.from(clusters());
  x[3 * D + 1] = Number.NaN;
  x[17 * D] = Number.POSITIVE_INFINITY;
  x[17 * D + 2] = Number.NaN;
  const r = await reduce(save('nan.npy', npy('<f4', [N, D], bytesOf(x))));
  assertRefused(r, /nan\.npy contains NaN or infinite values in 2 of 30 rows \(0-based row 3, 17\)/);
});

test('one or two points are refused: a map needs at least 3', async () => {
  const [r1, r2, r3] = await Promise.all(
    [1, 2, 3].map((n) => reduce(save(`n${n}.npy`, npy('<f4', [n, D], bytesOf(seededFloats(n * D, n)))))),
  );
  for (const [n, r] of [
    [1, r1],
    [2, r2],
  ] as const) {
    assertRefused(r, new RegExp(`n${n}\\.npy has ${n} point\\(s\\); need at least 3 points to make a map`));
  }
  // Three points is enough (the perplexity is lowered with a warning).
  assert.equal(r3.code, 0, r3.stderr);
  assert.equal(mapRows(r3.out).length, 3);
  assert.ok(mapRows(r3.out).flat().every(Number.isFinite));
});

test('identical points run, warn once, and give a finite map', async () => {
  const x = new Float32Array(N * D).fill(0.25);
  const r = await reduce(save('same.npy', npy('<f4', [N, D], bytesOf(x))));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stderr.match(/warning: All 30 points in the feature matrix are identical/g)?.length,
    1,
    r.stderr,
  );
  const xy = mapRows(r.out);
  assert.equal(xy.length, N);
  assert.ok(xy.flat().every(Number.isFinite));
});
