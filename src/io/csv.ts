/**
 * RFC 4180 CSV: fields holding a comma, quote, CR or LF (or leading/trailing spaces) are quoted and
 * their quotes doubled. Lines end in LF rather than RFC 4180's CRLF: pandas, numpy, R and Excel read
 * both, and LF keeps the files diff-friendly.
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

/** A whole CSV document: header then rows, each line ending in "\n". */
export function formatCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const parts = [csvLine(header)];
  for (const r of rows) parts.push(csvLine(r));
  return `${parts.join('\n')}\n`;
}

/**
 * Parses RFC 4180 CSV text into rows of strings (quoted fields unquoted, "" -> ").
 * Accepts LF or CRLF line ends; a trailing newline does not make an empty row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses CSV with a header line into records keyed by column name. */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const rows = parseCsv(text);
  const header = rows.shift() ?? [];
  const records = rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
  return { header, records };
}
