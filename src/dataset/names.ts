/**
 * File names as Python sees them. torchvision sorts `str` names, i.e. by Unicode code point; names that
 * are not valid UTF-8 are decoded with Python's `surrogateescape` (each bad byte b -> U+DC00 + b), so
 * we do the same to sort identically and still reopen the file from its original bytes.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a file-name byte string the way Python's os.fsdecode does on Linux. */
export function decodeFileName(bytes: Uint8Array): { name: string; valid: boolean } {
  try {
    return { name: utf8.decode(bytes), valid: true };
  } catch {
    let s = '';
    let i = 0;
    while (i < bytes.length) {
      const len = utf8SequenceLength(bytes, i);
      if (len > 0) {
        s += utf8.decode(bytes.subarray(i, i + len));
        i += len;
      } else {
        s += String.fromCharCode(0xdc00 + bytes[i]);
        i++;
      }
    }
    return { name: s, valid: false };
  }
}

function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  const len =
    c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  try {
    utf8.decode(b.subarray(i, i + len));
    return len;
  } catch {
    return 0;
  }
}

/** Compares strings by Unicode code point (Python's str ordering), not by UTF-16 code unit. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}
