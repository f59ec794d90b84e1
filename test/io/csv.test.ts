import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvTokenizer, csvChunks, formatCsv, parseCsv } from '../../src/io/csv.js';
import { countCsvLines, readCsvFile } from '../../src/io/csv-file.js';

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

/** Feeds `text` to a tokenizer in pieces cut at the given lengths (cycled). */
function tokenizeInPieces(text: string, cuts: number[]): string[][] {
  const rows: string[][] = [];
  const t = new CsvTokenizer((fields) => rows.push([...fields]));
  for (let i = 0, c = 0; i < text.length; c++) {
    const len = cuts[c % cuts.length];
    t.push(text.slice(i, i + len));
    i += len;
  }
  t.end();
  return rows;
}

test('the tokenizer gives the same rows whatever the pieces, cut inside quotes, "" and CRLF', () => {
  const text =
    'path,name,x\r\n"a ""quoted"", path","multi\nline",1.5\r\nplain,,2\n"",x,\n"end""",' +
    '"tail"\r\nno,newline,at end';
  const whole = parseCsv(text);
  assert.deepEqual(whole, [
    ['path', 'name', 'x'],
    ['a "quoted", path', 'multi\nline', '1.5'],
    ['plain', '', '2'],
    ['', 'x', ''],
    ['end"', 'tail'],
    ['no', 'newline', 'at end'],
  ]);
  for (const cuts of [[1], [2], [3, 1], [5, 7, 1], [1000]]) {
    assert.deepEqual(tokenizeInPieces(text, cuts), whole, `pieces ${cuts}`);
  }
  // Every cut position, one at a time.
  for (let cut = 1; cut < text.length; cut++) {
    assert.deepEqual(tokenizeInPieces(text, [cut, text.length]), whole, `cut at ${cut}`);
  }
});

test('csvChunks bounds every piece and concatenates to the whole document', () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `${i},${'v'.repeat(i % 97)}`);
  const chunks = [...csvChunks(lines, 4096)];
  assert.ok(chunks.length > 50, `${chunks.length} chunks`);
  for (const c of chunks) assert.ok(c.length < 4096 + 100 && c.endsWith('\n'));
  assert.equal(chunks.join(''), `${lines.join('\n')}\n`);
});

test('readCsvFile streams a file larger than its read chunk, and countCsvLines bounds its rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-csv-'));
  const rows = Array.from({ length: 80_000 }, (_, i) => [
    `img ${i}.png`,
    `"cls, ${i % 7}"`,
    'é'.repeat(i % 13),
  ]);
  const file = join(dir, 't.csv');
  // A byte order mark, as Excel writes, and multi-byte characters that straddle read chunks.
  writeFileSync(file, `\uFEFFa,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  const got: string[][] = [];
  await readCsvFile(file, (fields, row) => {
    assert.equal(row, got.length);
    got.push([...fields]);
  });
  assert.deepEqual(got[0], ['a', 'b', 'c']);
  assert.equal(got.length, rows.length + 1);
  assert.deepEqual(got[12345], [`img 12344.png`, 'cls, 3', 'é'.repeat(12344 % 13)]);
  assert.ok((await countCsvLines(file)) >= got.length);
});
