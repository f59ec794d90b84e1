/** `featscope <command> --help`: each command lists each of its options once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/options.js';
import { runCli } from '../helpers/cli.js';

test('every command help lists each option once', async () => {
  for (const name of Object.keys(COMMANDS)) {
    const r = await runCli([name, '--help']);
    assert.equal(r.code, 0, r.stderr);
    const flags = [...r.stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
    assert.ok(flags.length > 0, `${name}: no options listed`);
    assert.deepEqual(
      flags.filter((f, i) => flags.indexOf(f) !== i),
      [],
      `${name} --help lists an option twice`,
    );
  }
  // A usage line that shows --color-by shows all of its values.
  const plot = await runCli(['plot', '--help']);
  assert.match(plot.stdout, /Usage: .*--color-by label\|prediction\|correct\|domain\]/);
});
