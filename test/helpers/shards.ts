/** Shared by the shard, merge, preemption and cluster tests: a single-machine reference and byte-for-byte checks. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { EXAMPLE } from './example-subset.js';

export const MODEL = join(EXAMPLE, 'model.onnx');

/** `featscope classify` of the whole test set into `out`: what the merged parts must equal. */
export async function classifyWhole(data: string, out: string, extra: string[] = []): Promise<void> {
  const r = await runCli(['classify', '--model', MODEL, '--data', data, '--out', out, ...extra]);
  assert.equal(r.code, 0, r.stderr);
}

/** predictions.csv and features.npy of `got` are byte-for-byte those of `want`. */
export function assertSameClassify(got: string, want: string): void {
  for (const f of ['predictions.csv', 'features.npy']) {
    const a = readFileSync(join(got, f));
    const b = readFileSync(join(want, f));
    assert.ok(a.equals(b), `${f} of ${got} differs from ${want} (${a.length} vs ${b.length} bytes)`);
  }
}

/** The finished part folders of OUT/parts, and no temporary folder left behind. */
export function finishedParts(out: string): string[] {
  const dir = join(out, 'parts');
  const names = existsSync(dir) ? readdirSync(dir).sort() : [];
  assert.deepEqual(
    names.filter((n) => n.startsWith('.')),
    [],
    'no temporary part folder left behind',
  );
  for (const n of names) assert.ok(existsSync(join(dir, n, 'DONE')), `${n} is finished`);
  return names;
}
