/**
 * A bad --out for every command that writes: a path that is a file, and a folder that cannot be created
 * because a part of its path is a file (ENOTDIR: this fails even for root, unlike permission bits).
 * Each is exit 1, one paragraph, no stack trace, and the file in the way is left untouched.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeNpyFloat32 } from '../../src/io/npy.js';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { EXAMPLE, exampleSubset } from '../helpers/example-subset.js';
import { seededFloats } from '../helpers/onnx-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-outpath-'));
const data = exampleSubset(1, ['Bag', 'Coat', 'Dress']);
const features = join(dir, 'features.npy');
writeFileSync(features, encodeNpyFloat32(seededFloats(20 * 4, 5), [20, 4]));
const model = join(EXAMPLE, 'model.onnx');

const commands: Record<string, (out: string) => string[]> = {
  classify: (out) => ['classify', '--model', model, '--data', data, '--out', out],
  run: (out) => ['run', '--model', model, '--data', data, '--out', out, '--dims', '2', '--iterations', '50'],
  reduce: (out) => ['reduce', '--features', features, '--out', out, '--dims', '2', '--iterations', '50'],
};

for (const [command, args] of Object.entries(commands)) {
  test(`featscope ${command}: --out that is a file, or below a file, is refused in one paragraph`, async () => {
    const file = join(mkdtempSync(join(dir, `${command}-`)), 'results');
    writeFileSync(file, 'keep me\n');
    const cases: [string, RegExp][] = [
      [
        file,
        /^featscope: The output path \S+results is a file, not a folder\. Pass --out with a folder path \(it is created if missing\)\.\n$/,
      ],
      [
        join(file, 'sub'),
        /^featscope: Cannot create the output folder \S+results\/sub: a part of that path is a file, not a folder \(ENOTDIR\)\. Choose a writable --out\.\n$/,
      ],
    ];
    for (const [out, message] of cases) {
      const r = await runCli(args(out));
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
      assert.equal(r.stdout, '');
    }
    assert.equal(readFileSync(file, 'utf8'), 'keep me\n');
    assert.deepEqual(readdirSync(join(file, '..')), ['results'], 'nothing written next to the file');
  });
}
