/**
 * Text assembled straight into UTF-8 byte chunks, for tables written as a stream. Building a long row
 * with `+=` and joining rows makes deep string trees that V8 then flattens and encodes again: for a
 * 1,000-column table that cost more than formatting the numbers themselves (measured).
 */

/** Bytes per chunk. */
export const BYTE_CHUNK = 1 << 20;

export class ByteChunks {
  private buf: Buffer;
  private pos = 0;
  private full: Uint8Array[] = [];

  constructor(private readonly size = BYTE_CHUNK) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Appends text that is pure ASCII (numbers, separators), byte by byte. */
  ascii(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.next(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** Appends one ASCII character by its code. */
  byte(code: number): void {
    if (this.pos + 1 > this.buf.length) this.next(1);
    this.buf[this.pos++] = code;
  }

  /** Appends any text, UTF-8 encoded. */
  text(s: string): void {
    const max = s.length * 3; // UTF-16 code unit -> at most 3 UTF-8 bytes
    if (this.pos + max > this.buf.length) this.next(max);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Appends bytes encoded beforehand (e.g. a class name written on every row). */
  bytes(b: Uint8Array): void {
    if (this.pos + b.length > this.buf.length) this.next(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The chunks filled since the last call (each chunk is handed out once and never reused). */
  take(): Uint8Array[] {
    const out = this.full;
    this.full = [];
    return out;
  }

  /** Everything not yet taken, including the partly filled chunk. */
  finish(): Uint8Array[] {
    if (this.pos > 0) this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(0);
    this.pos = 0;
    return this.take();
  }

  /** Starts a new chunk with room for at least `need` bytes. */
  private next(need: number): void {
    if (this.pos > 0) this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(this.size, need));
    this.pos = 0;
  }
}
