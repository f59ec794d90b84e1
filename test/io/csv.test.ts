import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCsv, parseCsv } from '../../src/io/csv.js';

test('RFC 4180 quoting round-trips hostile fields', () => {
  const rows = [
    ['plain', 'a,b', 'say "hi"', 'line\nbreak', ' padded ', '<script>x</script>', 'ünïcødé 猫'],
    ['', '1', 'true', '', '', '', ''],
  ];
  const text = formatCsv(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'], rows);
  assert.match(text, /"a,b","say ""hi""","line\nbreak"," padded "/);
  assert.deepEqual(parseCsv(text).slice(1), rows);
  assert.deepEqual(parseCsv('a,b\r\n1,2\r\n'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
});
