/**
 * RFC 4180 CSV: fields holding a comma, quote, CR or LF (or leading/trailing spaces) are quoted and
 * their quotes doubled. Lines end in LF rather than RFC 4180's CRLF: pandas, numpy, R and Excel read
 * both, and LF keeps the files diff-friendly.
 *
 * Tables can outgrow a JavaScript string (a 50,000 x 1,000 predictions table is ~700 MB of text;
 * V8 strings stop at ~512 MB), so both directions work in pieces: `csvChunks` yields text a chunk at
 * a time for a streaming write, and `CsvTokenizer` takes text a piece at a time (see csv-file.ts).
 */

export type CsvValue = string | number | boolean | null | undefined;

/** Quotes one field when it needs it. Numbers are written in their shortest round-trip form. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (without the newline). */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',');
}

/** Characters per chunk of `csvChunks`: large enough for few writes, small next to any memory. */
export const CSV_CHUNK_CHARS = 1 << 20;

/**
 * Groups finished lines (without their "\n") into chunks of about `chunkChars` characters, each
 * line ending in "\n". Concatenated, the chunks are the whole document.
 */
export function* csvChunks(lines: Iterable<string>, chunkChars = CSV_CHUNK_CHARS): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length + 1;
    if (size >= chunkChars) {
      yield `${parts.join('\n')}\n`;
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield `${parts.join('\n')}\n`;
}

/** Header then rows, as CSV lines. */
export function* csvLines(header: readonly string[], rows: Iterable<readonly CsvValue[]>): Generator<string> {
  yield csvLine(header);
  for (const r of rows) yield csvLine(r);
}

/** A whole CSV document: header then rows, each line ending in "\n" (for small tables). */
export function formatCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  return [...csvChunks(csvLines(header, rows))].join('');
}

/**
 * A copy of a field that does not keep its piece of text alive. Fields are slices of the text piece
 * they came from, and V8 keeps the whole piece (~1 MB) alive while any slice of it lives: a reader
 * that keeps one path per row of a 660 MB table would keep the whole table in memory.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8'); // V8 copies slices under 13 chars
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Incremental RFC 4180 parser: `push` text in pieces of any size (a row may span pieces), `end`
 * when done. Each complete row goes to `onRow` as an array of unquoted fields (`""` -> `"`); the
 * array is reused for the next row, so copy what you keep. Accepts LF or CRLF line ends; a
 * trailing newline does not make an empty row. Only the unfinished last row is held between pieces.
 */
export class CsvTokenizer {
  private rest = '';
  private readonly fields: string[] = [];
  /**
   * Columns to leave out: their fields are scanned but come through as '' (no string is made),
   * which keeps a reader that needs a few columns of a wide table from making millions of strings.
   */
  skip: boolean[] | null = null;

  constructor(private readonly onRow: (fields: string[]) => void) {}

  push(text: string): void {
    this.rest = this.parse(this.rest.length > 0 ? this.rest + text : text, false);
  }

  end(): void {
    if (this.rest.length > 0) this.parse(this.rest, true);
    this.rest = '';
  }

  /** Emits every complete row of `text` and returns the unfinished remainder. */
  private parse(text: string, final: boolean): string {
    const n = text.length;
    const fields = this.fields;
    let rowStart = 0;
    let i = 0;
    fields.length = 0;
    while (rowStart < n) {
      const keep = this.skip === null || this.skip[fields.length] !== true;
      let field = '';
      let seg = i;
      let c = -1;
      // One field: unquoted runs, and quoted runs (which may hold delimiters), up to a delimiter.
      while (i < n) {
        c = text.charCodeAt(i);
        if (c === COMMA || c === LF || c === CR) break;
        if (c !== QUOTE) {
          i++;
          continue;
        }
        if (keep) field += text.slice(seg, i);
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            if (!final) return text.slice(rowStart);
            if (keep) field += text.slice(j);
            j = n;
            break;
          }
          if (q + 1 >= n && !final) return text.slice(rowStart); // "" or the closing quote?
          if (text.charCodeAt(q + 1) === QUOTE) {
            if (keep) field += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          if (keep) field += text.slice(j, q);
          j = q + 1;
          break;
        }
        i = j;
        seg = i;
        c = -1;
      }
      if (i >= n && !final) return text.slice(rowStart);
      if (keep) field += text.slice(seg, i);
      fields.push(field);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) return text.slice(rowStart); // CR now, LF in the next piece?
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++; // LF, or the end of the final text
      this.onRow(fields);
      fields.length = 0;
      rowStart = i;
    }
    return '';
  }
}

/** Parses RFC 4180 CSV text into rows of strings (for small tables; see `CsvTokenizer`). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const t = new CsvTokenizer((fields) => rows.push([...fields]));
  t.push(text);
  t.end();
  return rows;
}

/** Parses CSV with a header line into records keyed by column name. */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const rows = parseCsv(text);
  const header = rows.shift() ?? [];
  const records = rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
  return { header, records };
}
