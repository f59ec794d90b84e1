/**
 * Squared Euclidean distances between two small blocks of rows: the inner kernel of exact kNN, of the
 * random-projection leaf joins and of NN-descent's local joins. Rows are first gathered into float64
 * scratch blocks (contiguous, no float32 conversions in the hot loop), then dot products are computed two
 * rows of A by four rows of B at a time, so each loaded value is used 2-4 times (V8 keeps the eight
 * accumulators in registers; measured ~1.7x faster than one dot product at a time on 50-d data).
 * Distances come from |a|^2 + |b|^2 - 2 a.b, clamped at 0 against rounding.
 *
 * Blocks and output made together by `distanceWorkspace` live in a WebAssembly workspace when the
 * dense kernel is built (dense-kernels.ts, SIMD, 3-4x faster); `blockDistances` then runs there.
 */
import { DenseSpace } from '../dense-kernels.js';

/** A gathered block: up to `capacity` rows of d float64 values, padded to a multiple of 4 rows. */
export interface RowBlock {
  d: number;
  capacity: number;
  /** Rows in use. */
  size: number;
  values: Float64Array;
  norms: Float64Array;
  /** The WebAssembly workspace holding values, norms and the output, or null. */
  space: DenseSpace | null;
}

export function createRowBlock(capacity: number, d: number, space: DenseSpace | null = null): RowBlock {
  const padded = Math.ceil(capacity / 4) * 4;
  const array = (length: number) => (space ? space.array(length) : new Float64Array(length));
  return { d, capacity, size: 0, values: array(padded * d), norms: array(padded), space };
}

/**
 * Row blocks of the given capacities and a distance output for the first two (or the first against
 * itself), in one WebAssembly workspace when the dense kernel is available and `wasm` is true (false:
 * the TypeScript loops, whose sums run column by column in order).
 */
export function distanceWorkspace(
  capacities: number[],
  d: number,
  wasm = true,
): { blocks: RowBlock[]; out: Float64Array } {
  const padded = capacities.map((c) => Math.ceil(c / 4) * 4);
  const outA = capacities[0];
  const outB = capacities.length > 1 ? capacities[1] : capacities[0];
  const outLength = Math.ceil(outA / 2) * 2 * Math.ceil(outB / 4) * 4;
  let doubles = DenseSpace.doublesFor(outLength);
  for (const p of padded) doubles += DenseSpace.doublesFor(p * d) + DenseSpace.doublesFor(p);
  const space = wasm ? DenseSpace.create(doubles) : null;
  const blocks = capacities.map((c) => createRowBlock(c, d, space));
  const out = space ? space.array(outLength) : new Float64Array(outLength);
  return { blocks, out };
}

/** Copies rows[from..to) of `data` into the block (zeroing the padding rows). */
export function gatherRowBlock(
  block: RowBlock,
  data: Float32Array,
  rows: Int32Array | null,
  from: number,
  to: number,
): void {
  const { d, values, norms } = block;
  const size = to - from;
  for (let r = 0; r < size; r++) {
    const src = (rows ? rows[from + r] : from + r) * d;
    let s = 0;
    for (let c = 0; c < d; c++) {
      const v = data[src + c];
      values[r * d + c] = v;
      s += v * v;
    }
    norms[r] = s;
  }
  const padEnd = Math.ceil(size / 4) * 4;
  values.fill(0, size * d, padEnd * d);
  norms.fill(0, size, padEnd);
  block.size = size;
}

/**
 * Writes the a.size x b.size squared distances into `out` (row-major, stride `b.size` rounded up to 4).
 * Returns the stride. `upperOnly` (for a block against itself): only entries (i, j) with j > i are
 * guaranteed; tiles wholly below the diagonal are skipped, halving the work of symmetric joins.
 */
export function blockDistances(a: RowBlock, b: RowBlock, out: Float64Array, upperOnly = false): number {
  const d = a.d;
  const av = a.values;
  const bv = b.values;
  const stride = Math.ceil(b.size / 4) * 4;
  const na = a.size;
  const space = a.space;
  if (space !== null && b.space === space && space.holds(out)) {
    space.rowProducts(av, bv, out, na, stride, d, stride, upperOnly, { a: a.norms, b: b.norms });
    return stride;
  }
  for (let i = 0; i < na; i += 2) {
    const oa = i * d;
    // An odd last row pairs with a padding row of zeros.
    const ob = i + 1 < na ? oa + d : oa;
    for (let j = upperOnly ? i & ~3 : 0; j < stride; j += 4) {
      const o0 = j * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let c = 0; c < d; c++) {
        const x = av[oa + c];
        const y = av[ob + c];
        const z0 = bv[o0 + c];
        const z1 = bv[o1 + c];
        const z2 = bv[o2 + c];
        const z3 = bv[o3 + c];
        a0 += x * z0;
        a1 += x * z1;
        a2 += x * z2;
        a3 += x * z3;
        b0 += y * z0;
        b1 += y * z1;
        b2 += y * z2;
        b3 += y * z3;
      }
      const na0 = a.norms[i];
      const bn = b.norms;
      const r0 = i * stride + j;
      out[r0] = clamp(na0 + bn[j] - 2 * a0);
      out[r0 + 1] = clamp(na0 + bn[j + 1] - 2 * a1);
      out[r0 + 2] = clamp(na0 + bn[j + 2] - 2 * a2);
      out[r0 + 3] = clamp(na0 + bn[j + 3] - 2 * a3);
      if (i + 1 < na) {
        const na1 = a.norms[i + 1];
        const r1 = r0 + stride;
        out[r1] = clamp(na1 + bn[j] - 2 * b0);
        out[r1 + 1] = clamp(na1 + bn[j + 1] - 2 * b1);
        out[r1 + 2] = clamp(na1 + bn[j + 2] - 2 * b2);
        out[r1 + 3] = clamp(na1 + bn[j + 3] - 2 * b3);
      }
    }
  }
  return stride;
}

function clamp(x: number): number {
  return Math.max(x, 0);
}
