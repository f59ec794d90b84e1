/**
 * Reading a CSV file as a stream: bytes are decoded and parsed a chunk at a time, so a table larger
 * than any string (or than the memory for one) is read in the memory of its parsed values.
 */
import { createReadStream } from 'node:fs';
import { CancelledError } from '../errors.js';
import { CsvTokenizer } from './csv.js';

/** Bytes read per chunk. */
const READ_CHUNK = 1 << 20;

/**
 * Calls `onRow(fields, row)` for every row of the file, the header being row 0. `fields` is reused
 * between calls. A UTF-8 byte order mark (Excel writes one) is dropped. Errors thrown by `onRow`
 * stop the read and propagate.
 */
export async function readCsvFile(
  path: string,
  onRow: (fields: string[], row: number) => void,
  signal?: AbortSignal,
  /** Given the header, the columns whose fields are needed; the others come through as ''. */
  columns?: (header: string[]) => boolean[],
): Promise<void> {
  let row = 0;
  const tokenizer = new CsvTokenizer((fields) => {
    if (row === 0 && columns) tokenizer.skip = columns(fields).map((keep) => !keep);
    onRow(fields, row++);
  });
  const decoder = new TextDecoder('utf-8');
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK, signal });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      tokenizer.push(decoder.decode(chunk, { stream: true }));
    }
  } catch (e) {
    throw (e as Error).name === 'AbortError' ? new CancelledError() : e;
  }
  tokenizer.push(decoder.decode());
  tokenizer.end();
}

/**
 * An upper bound on the rows of a CSV file (its line feeds, plus one for a last line without one),
 * read in one quick pass over the bytes, so readers can size their arrays once.
 */
export async function countCsvLines(path: string): Promise<number> {
  let lines = 1;
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}
