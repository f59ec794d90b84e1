/**
 * The WebAssembly build of a random-projection tree's split margins (asm/rp-margins.ts, compiled to
 * wasm/rp-margins.wasm), for the trees the placement's neighbour search builds over the reference
 * (query-knn.ts): the same margins as the TypeScript `margin`, bit for bit, in a fraction of the time
 * (the trees were half of a placement's time). The module's own memory holds a copy of the data, the
 * order being partitioned and the margins; `order` and `margins` are views of it.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';

interface RpMarginExports {
  memory: WasmMemory;
  margins(
    data: number,
    order: number,
    start: number,
    end: number,
    d: number,
    normal: number,
    offset: number,
    out: number,
  ): void;
}

export class RpMarginKernel {
  private readonly exports: RpMarginExports;
  /** The point order a tree's build partitions (n). */
  readonly order: Int32Array;
  /** Margins of the points, indexed like `order` (n). */
  readonly margins: Float64Array;
  private readonly normal: Float64Array;
  private readonly data: number;

  /** A kernel over `data` (n x d), or null when the module is not built (callers use `margin`). */
  static over(data: Float32Array, n: number, d: number): RpMarginKernel | null {
    return wasmAvailable('rp-margins') ? new RpMarginKernel(data, n, d) : null;
  }

  private constructor(
    data: Float32Array,
    n: number,
    private readonly d: number,
  ) {
    this.exports = instantiateWasm<RpMarginExports>('rp-margins');
    const align = (b: number) => Math.ceil(b / 16) * 16;
    const at = [64];
    for (const bytes of [4 * n * d, 4 * n, 8 * d, 8 * n]) at.push(at[at.length - 1] + align(bytes));
    ensureWasmMemory(this.exports.memory, at[4]);
    const buffer = this.exports.memory.buffer;
    new Float32Array(buffer, at[0], n * d).set(data.subarray(0, n * d));
    this.data = at[0];
    this.order = new Int32Array(buffer, at[1], n);
    this.normal = new Float64Array(buffer, at[2], d);
    this.margins = new Float64Array(buffer, at[3], n);
  }

  /** margins[p] = offset + normals[nb..nb + d) . data[order[p]] for p in [start, end). */
  compute(normals: Float64Array, nb: number, offset: number, start: number, end: number): void {
    const { d } = this;
    this.normal.set(normals.subarray(nb, nb + d));
    this.exports.margins(
      this.data,
      this.order.byteOffset,
      start,
      end,
      d,
      this.normal.byteOffset,
      offset,
      this.margins.byteOffset,
    );
  }
}
