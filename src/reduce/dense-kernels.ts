/**
 * Dot products or squared distances between the rows of two small row-major f64 matrices: the kernel
 * behind exact kNN's block distances, random-projection leaf joins and NN-descent's local joins
 * (knn/block-distances.ts) and PCA's covariance and projection (pca/pca.ts).
 *
 * Two implementations behind one `DenseWorkspace`:
 * - WebAssembly with SIMD (asm/dense.ts), measured faster than the TypeScript for exact kNN at
 *   10k points and for PCA at 70k x 128 (bench/README.md). It sums even and odd columns separately,
 *   so its results differ from the TypeScript's in the last bits. The workspace owns one instance and
 *   reserves its memory up front (growing it would detach the views handed out before).
 * - TypeScript (`rowProductsTs`): two rows of A against four rows of B at a time, so each loaded value
 *   is used two to four times and the eight sums stay in registers (faster than one dot product at a
 *   time on 50-d data); columns are summed in order.
 * `denseWorkspace` gives the WebAssembly one when the module is built and `wasm` is not false.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from './wasm-modules.js';

/** Squared norms of A's and B's rows, for distances. */
export interface RowNorms {
  a: Float64Array;
  b: Float64Array;
}

export interface DenseWorkspace {
  /** True when `rowProducts` runs in WebAssembly. */
  readonly wasm: boolean;
  /** A zeroed array of `length` values that `rowProducts` can take. */
  array(length: number): Float64Array;
  /** A zeroed Int32Array of `length` values in the workspace (it takes `workspaceDoubles(length / 2)`). */
  int32Array(length: number): Int32Array;
  /**
   * Exact kNN's offers of a distance tile to the rows' candidate buffers (knn/candidate-rows.ts), in
   * WebAssembly over arrays of this workspace; null in TypeScript, whose caller runs the same loop.
   */
  readonly offerTile: OfferTile | null;
  /**
   * c[i * ldc + j] = a_i . b_j for rows i < na of a and j < nb of b (rows of d values; nb a multiple
   * of 4, b padded with rows to match; an odd last row of a is paired with itself). `upperOnly`: only
   * j >= (i rounded down to 4) are written. With `norms`: max(0, |a_i|^2 + |b_j|^2 - 2 a_i . b_j).
   */
  rowProducts(
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    na: number,
    nb: number,
    d: number,
    ldc: number,
    upperOnly: boolean,
    norms?: RowNorms | null,
  ): void;
}

/**
 * `offerTile(tile, ldc, na, nb, i0, j0, diagonal, rows)`: tile[a * ldc + b] is the distance between rows
 * i0 + a and j0 + b (b > a only when `diagonal`); every pair below a row's threshold is offered to it.
 */
export type OfferTile = (
  tile: Float64Array,
  ldc: number,
  na: number,
  nb: number,
  i0: number,
  j0: number,
  diagonal: boolean,
  rows: {
    distances: Float64Array;
    indices: Int32Array;
    counts: Int32Array;
    thresholds: Float64Array;
    capacity: number;
    k: number;
  },
) => void;

/** Values a workspace reserves for `array(length)` (for sizing `denseWorkspace`). */
export function workspaceDoubles(length: number): number {
  return Math.ceil(length / 8) * 8 + ALIGN / 8;
}

/** A workspace for arrays totalling `doubles` values (see `workspaceDoubles`). */
export function denseWorkspace(doubles: number, wasm = true): DenseWorkspace {
  return (wasm && WasmDenseWorkspace.create(doubles)) || TS_WORKSPACE;
}

interface DenseExports {
  memory: WasmMemory;
  rowProducts(
    a: number,
    an: number,
    b: number,
    bn: number,
    c: number,
    na: number,
    nb: number,
    d: number,
    ldc: number,
    upperOnly: number,
    distance: number,
  ): void;
  offerTile(
    tile: number,
    ldc: number,
    na: number,
    nb: number,
    i0: number,
    j0: number,
    diagonal: number,
    dist: number,
    idx: number,
    counts: number,
    thresholds: number,
    capacity: number,
    k: number,
  ): void;
}

const ALIGN = 64;

class WasmDenseWorkspace implements DenseWorkspace {
  readonly wasm = true;
  /** Offset 0 is never handed out (an unused norms pointer is passed as 0). */
  private used = ALIGN;

  private constructor(
    private readonly exports: DenseExports,
    private readonly capacity: number,
  ) {}

  static create(doubles: number): WasmDenseWorkspace | null {
    if (!wasmAvailable('dense')) return null;
    const exports = instantiateWasm<DenseExports>('dense');
    const capacity = 8 * Math.ceil(doubles / 8) * 8 + 2 * ALIGN;
    ensureWasmMemory(exports.memory, capacity);
    return new WasmDenseWorkspace(exports, capacity);
  }

  array(length: number): Float64Array {
    const offset = Math.ceil(this.used / ALIGN) * ALIGN;
    if (offset + 8 * length > this.capacity) throw new Error('dense workspace exhausted');
    this.used = offset + 8 * length;
    return new Float64Array(this.exports.memory.buffer, offset, length);
  }

  int32Array(length: number): Int32Array {
    const a = this.array(Math.ceil(length / 2));
    return new Int32Array(a.buffer, a.byteOffset, length);
  }

  readonly offerTile: OfferTile = (tile, ldc, na, nb, i0, j0, diagonal, rows) => {
    this.exports.offerTile(
      tile.byteOffset,
      ldc,
      na,
      nb,
      i0,
      j0,
      diagonal ? 1 : 0,
      rows.distances.byteOffset,
      rows.indices.byteOffset,
      rows.counts.byteOffset,
      rows.thresholds.byteOffset,
      rows.capacity,
      rows.k,
    );
  };

  rowProducts(
    a: Float64Array,
    b: Float64Array,
    c: Float64Array,
    na: number,
    nb: number,
    d: number,
    ldc: number,
    upperOnly: boolean,
    norms: RowNorms | null = null,
  ): void {
    const buffer = this.exports.memory.buffer;
    if (a.buffer !== buffer || b.buffer !== buffer || c.buffer !== buffer) {
      throw new Error('rowProducts: arrays must come from this workspace');
    }
    this.exports.rowProducts(
      a.byteOffset,
      norms ? norms.a.byteOffset : 0,
      b.byteOffset,
      norms ? norms.b.byteOffset : 0,
      c.byteOffset,
      na,
      nb,
      d,
      ldc,
      upperOnly ? 1 : 0,
      norms ? 1 : 0,
    );
  }
}

const TS_WORKSPACE: DenseWorkspace = {
  wasm: false,
  array: (length) => new Float64Array(length),
  int32Array: (length) => new Int32Array(length),
  offerTile: null,
  rowProducts: (a, b, c, na, nb, d, ldc, upperOnly, norms) =>
    rowProductsTs(a, b, c, na, nb, d, ldc, upperOnly, norms ?? null),
};

/** `DenseWorkspace.rowProducts` in TypeScript, on any arrays. */
export function rowProductsTs(
  av: Float64Array,
  bv: Float64Array,
  out: Float64Array,
  na: number,
  nb: number,
  d: number,
  ldc: number,
  upperOnly: boolean,
  norms: RowNorms | null,
): void {
  for (let i = 0; i < na; i += 2) {
    const oa = i * d;
    const ob = i + 1 < na ? oa + d : oa;
    for (let j = upperOnly ? i & ~3 : 0; j < nb; j += 4) {
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
      const r0 = i * ldc + j;
      const r1 = r0 + ldc;
      const two = i + 1 < na;
      if (norms === null) {
        out[r0] = a0;
        out[r0 + 1] = a1;
        out[r0 + 2] = a2;
        out[r0 + 3] = a3;
        if (two) {
          out[r1] = b0;
          out[r1 + 1] = b1;
          out[r1 + 2] = b2;
          out[r1 + 3] = b3;
        }
        continue;
      }
      const bn = norms.b;
      const na0 = norms.a[i];
      out[r0] = Math.max(0, na0 + bn[j] - 2 * a0);
      out[r0 + 1] = Math.max(0, na0 + bn[j + 1] - 2 * a1);
      out[r0 + 2] = Math.max(0, na0 + bn[j + 2] - 2 * a2);
      out[r0 + 3] = Math.max(0, na0 + bn[j + 3] - 2 * a3);
      if (two) {
        const na1 = norms.a[i + 1];
        out[r1] = Math.max(0, na1 + bn[j] - 2 * b0);
        out[r1 + 1] = Math.max(0, na1 + bn[j + 1] - 2 * b1);
        out[r1 + 2] = Math.max(0, na1 + bn[j + 2] - 2 * b2);
        out[r1 + 3] = Math.max(0, na1 + bn[j + 3] - 2 * b3);
      }
    }
  }
}
