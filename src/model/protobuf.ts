/**
 * The few protobuf wire-format primitives we need to read and extend ONNX models without decoding
 * their (possibly huge) weight tensors. Wire format: https://protobuf.dev/programming-guides/encoding/
 */

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** A cursor over a protobuf message; `end` bounds the current message. */
export class ProtoReader {
  pos: number;
  readonly end: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint as a JS number (exact up to 2^53; ONNX dims and versions fit). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        // Negative int64 values are encoded as 10-byte two's complement varints.
        return i === 9 || result >= 2 ** 63 ? result - 2 ** 64 : result;
      }
      mul *= 128;
    }
    throw new Error('varint too long');
  }

  /** Reads a field key; returns [fieldNumber, wireType]. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k & 7];
  }

  /** Returns [start, end) of a length-delimited field's payload and moves past it. */
  lengthDelimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new Error('truncated length-delimited field');
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [s, e] = this.lengthDelimited();
    return new TextDecoder().decode(this.buf.subarray(s, e));
  }

  /** A sub-reader over an embedded message. */
  message(): ProtoReader {
    const [s, e] = this.lengthDelimited();
    return new ProtoReader(this.buf, s, e);
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_I64) this.pos += 8;
    else if (wire === WIRE_LEN) this.lengthDelimited();
    else if (wire === WIRE_I32) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    if (this.pos > this.end) throw new Error('truncated field');
  }
}

/** Builds protobuf messages field by field. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }

  private rawVarint(v: number): this {
    const out: number[] = [];
    let x = v < 0 ? 2 ** 64 + v : v; // two's complement for negative int64
    if (v < 0) {
      // 2^64 + v loses precision for large |v|; encode via BigInt for exactness.
      let b = BigInt.asUintN(64, BigInt(v));
      while (b >= 0x80n) {
        out.push(Number(b & 0x7fn) | 0x80);
        b >>= 7n;
      }
      out.push(Number(b));
      return this.push(Uint8Array.from(out));
    }
    while (x >= 0x80) {
      out.push((x % 128) | 0x80);
      x = Math.floor(x / 128);
    }
    out.push(x);
    return this.push(Uint8Array.from(out));
  }

  varintField(field: number, v: number): this {
    return this.rawVarint(field * 8 + WIRE_VARINT).rawVarint(v);
  }

  bytesField(field: number, bytes: Uint8Array): this {
    return this.rawVarint(field * 8 + WIRE_LEN)
      .rawVarint(bytes.length)
      .push(bytes);
  }

  stringField(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  messageField(field: number, msg: ProtoWriter): this {
    return this.bytesField(field, msg.finish());
  }

  floatField(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.rawVarint(field * 8 + WIRE_I32).push(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}
