/**
 * Squared Euclidean distances between two small blocks of rows: the inner kernel of exact kNN, of the
 * random-projection leaf joins and of NN-descent's local joins. Rows are first gathered into float64
 * blocks (contiguous, no float32 conversions in the hot loop), then the dense row-products kernel
 * (dense-kernels.ts: WebAssembly with SIMD when built, else TypeScript) computes |a|^2 + |b|^2 - 2 a.b,
 * clamped at 0 against rounding. Blocks and output made together by `distanceWorkspace` share one
 * workspace.
 */
import { type DenseWorkspace, denseWorkspace, workspaceDoubles } from '../dense-kernels.js';

/** A gathered block: up to `capacity` rows of d float64 values, padded to a multiple of 4 rows. */
export interface RowBlock {
  d: number;
  capacity: number;
  /** Rows in use. */
  size: number;
  values: Float64Array;
  norms: Float64Array;
  /** The workspace holding values, norms and the output. */
  space: DenseWorkspace;
}

function createRowBlock(capacity: number, d: number, space: DenseWorkspace): RowBlock {
  const padded = Math.ceil(capacity / 4) * 4;
  return { d, capacity, size: 0, values: space.array(padded * d), norms: space.array(padded), space };
}

/**
 * Row blocks of the given capacities and a distance output for the first two (or the first against
 * itself), in one workspace: WebAssembly when available and `wasm` is true (false: the TypeScript
 * kernel, whose sums run column by column in order), with room for `extraDoubles` more values.
 */
export function distanceWorkspace(
  capacities: number[],
  d: number,
  wasm = true,
  extraDoubles = 0,
): { blocks: RowBlock[]; out: Float64Array; space: DenseWorkspace } {
  const padded = capacities.map((c) => Math.ceil(c / 4) * 4);
  const outA = capacities[0];
  const outB = capacities.length > 1 ? capacities[1] : capacities[0];
  const outLength = Math.ceil(outA / 2) * 2 * Math.ceil(outB / 4) * 4;
  let doubles = workspaceDoubles(outLength) + extraDoubles;
  for (const p of padded) doubles += workspaceDoubles(p * d) + workspaceDoubles(p);
  const space = denseWorkspace(doubles, wasm);
  const blocks = capacities.map((c) => createRowBlock(c, d, space));
  return { blocks, out: space.array(outLength), space };
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
 * `a`, `b` and `out` must come from one `distanceWorkspace`.
 */
export function blockDistances(a: RowBlock, b: RowBlock, out: Float64Array, upperOnly = false): number {
  const stride = Math.ceil(b.size / 4) * 4;
  a.space.rowProducts(a.values, b.values, out, a.size, stride, a.d, stride, upperOnly, {
    a: a.norms,
    b: b.norms,
  });
  return stride;
}
