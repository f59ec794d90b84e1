/**
 * A WebAssembly workspace for the dense row-products kernel (asm/dense.ts): dot products or squared
 * distances between the rows of two small row-major f64 matrices, with SIMD, measured 3-4x faster
 * than the TypeScript loops it stands in for (exact kNN's block distances, PCA's covariance and
 * projection; bench/tsne/README.md). The even and odd columns are summed separately, so results differ
 * from the TypeScript loops in the last bits.
 *
 * A workspace owns one instance and a fixed amount of its memory, reserved up front (growing the
 * memory would detach the views handed out before): `array(length)` hands out zeroed Float64Array
 * views, and `rowProducts` takes such views. `DenseSpace.create` returns null when the module is not
 * built, and callers run their TypeScript code instead.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from './wasm-modules.js';

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
}

const ALIGN = 64;

export class DenseSpace {
  private used = 0;

  private constructor(
    private readonly exports: DenseExports,
    private readonly capacity: number,
  ) {}

  /** A workspace for arrays totalling `doubles` float64 values (each rounded up to 8), or null. */
  static create(doubles: number): DenseSpace | null {
    if (!wasmAvailable('dense')) return null;
    const exports = instantiateWasm<DenseExports>('dense');
    const capacity = Math.ceil(doubles / 8) * 8 * 8 + 16 * ALIGN;
    ensureWasmMemory(exports.memory, capacity);
    return new DenseSpace(exports, capacity);
  }

  /** Bytes `array(length)` takes from the workspace, for sizing `create`. */
  static doublesFor(length: number): number {
    return Math.ceil(length / 8) * 8 + ALIGN / 8;
  }

  /** A zeroed view of `length` float64 values in the instance's memory. */
  array(length: number): Float64Array {
    const offset = Math.ceil(this.used / ALIGN) * ALIGN;
    if (offset + 8 * length > this.capacity) throw new Error('DenseSpace: workspace exhausted');
    this.used = offset + 8 * length;
    return new Float64Array(this.exports.memory.buffer, offset, length);
  }

  /** True when `view` lies in this workspace's memory. */
  holds(view: Float64Array): boolean {
    return view.buffer === this.exports.memory.buffer;
  }

  /**
   * c[i * ldc + j] = a_i . b_j for rows i < na of a and j < nb of b (rows of d values; nb a multiple of
   * 4, b padded with rows to match). `upperOnly`: only j >= (i rounded down to 4) are written.
   * `norms` (a's and b's squared row norms): write max(0, |a_i|^2 + |b_j|^2 - 2 a_i . b_j) instead.
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
    norms: { a: Float64Array; b: Float64Array } | null = null,
  ): void {
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
