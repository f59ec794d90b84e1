/** Number formatting for our text outputs. */

/**
 * The shortest decimal that reads back as the same float32 (like numpy's repr of a float32): the
 * first precision p = 1..8 whose correctly rounded p-digit decimal round-trips, else 9 digits,
 * printed as JavaScript prints that number.
 *
 * A 50,000 x 1,000 predictions table holds 50 million of these, and `toPrecision` is slow (it
 * works in big integers), so the digits come from one scaled double instead; the rare values lying
 * too close to a rounding midpoint for that to be certain take the exact path (`float32StringExact`).
 */
export function float32String(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return '0';
  const a = Math.abs(f);
  // Nine significant digits: a = scaled * 10^(e - 8) with scaled in [1e8, 1e9).
  let e = Math.floor(Math.log10(a));
  let scaled = scale(a, 8 - e);
  if (scaled >= 1e9) scaled = scale(a, 8 - ++e);
  else if (scaled < 1e8) scaled = scale(a, 8 - --e);
  for (let p = 1; p <= 9; p++) {
    const unit = POW10[9 - p];
    const q = scaled / unit; // a in units of the p-th significant digit
    const whole = Math.floor(q);
    const frac = q - whole;
    // `scaled` is within ~3 ulp of the exact value; a fraction this near 1/2 could round either way.
    if (Math.abs(frac - 0.5) < 1e-5) return float32StringExact(f);
    let digits = frac > 0.5 ? whole + 1 : whole;
    let exp = e - p + 1; // value = digits * 10^exp
    if (digits === POW10[p]) {
      digits = POW10[p - 1];
      exp++;
    }
    const v = decimalValue(digits, exp);
    if (p === 9 || Math.fround(v) === a) return (f < 0 ? '-' : '') + jsNumberString(digits, exp);
  }
  return float32StringExact(f); // not reached
}

/** The definition itself, through `toPrecision`: slow but exact. */
export function float32StringExact(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return '0';
  for (let p = 1; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact as doubles up to 1e22

/** a * 10^k, with one rounding when 10^|k| is exact and at most three otherwise. */
function scale(a: number, k: number): number {
  if (k >= 0) return k <= 22 ? a * POW10[k] : a * 1e22 * 10 ** (k - 22);
  return -k <= 22 ? a / POW10[-k] : a / 1e22 / 10 ** (-k - 22);
}

/** The double nearest digits * 10^exp (digits < 1e9), as `Number()` reads the decimal. */
function decimalValue(digits: number, exp: number): number {
  // Both operands exact: IEEE division/multiplication rounds once, like a correct decimal parser.
  if (exp >= 0 && exp <= 22) return digits * POW10[exp];
  if (exp < 0 && exp >= -22) return digits / POW10[-exp];
  return Number(`${digits}e${exp}`);
}

/**
 * How JavaScript prints the number digits * 10^exp when that decimal has at most 15 significant
 * digits (so it is its own shortest representation): ECMA-262 Number::toString.
 */
function jsNumberString(digits: number, exp: number): string {
  let d = digits;
  let x = exp;
  while (d % 10 === 0) {
    d /= 10;
    x++;
  }
  const s = String(d);
  const k = s.length;
  const n = k + x; // value = 0.s * 10^n
  if (k <= n && n <= 21) return s + '0'.repeat(n - k);
  if (0 < n && n <= 21) return `${s.slice(0, n)}.${s.slice(n)}`;
  if (-6 < n && n <= 0) return `0.${'0'.repeat(-n)}${s}`;
  const sign = n - 1 < 0 ? '-' : '+';
  return `${s[0]}${k > 1 ? `.${s.slice(1)}` : ''}e${sign}${Math.abs(n - 1)}`;
}
