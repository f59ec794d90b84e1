/**
 * The attractive forces for a fixed block of rows of P, in WebAssembly when it is built
 * (asm/attraction.ts; the same operations as gradient-attractive.ts, so the same numbers bit for bit,
 * measured faster at 10k and 70k points: bench/README.md), else by `attractiveForces` itself.
 *
 * The WebAssembly instance keeps its own copy of the block's rows of P (copied once) and of the
 * positions (copied at every evaluation: 16 bytes a point in 2D, against ~120 neighbours a point to
 * visit). Each thread of the parallel engine holds the rows it may be asked for.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import type { CsrMatrix } from './affinities.js';
import { attractiveForces } from './gradient-attractive.js';

type Kernel = (
  rowPtr: number,
  cols: number,
  vals: number,
  y: number,
  out: number,
  first: number,
  from: number,
  to: number,
  exaggeration: number,
) => void;

interface AttractionExports {
  memory: WasmMemory;
  attraction2d: Kernel;
  attraction3d: Kernel;
}

interface Layout {
  exports: AttractionExports;
  rowPtr: number;
  cols: number;
  vals: number;
  y: Float64Array;
  out: Float64Array;
}

export class AttractionKernel {
  private readonly wasm: Layout | null;

  /** Rows [first, last) of `p`; `useWasm` false forces the TypeScript loop (tests compare both). */
  constructor(
    private readonly p: CsrMatrix,
    private readonly dims: 2 | 3,
    private readonly first = 0,
    private readonly last = p.n,
    useWasm = true,
  ) {
    this.wasm = useWasm && wasmAvailable('attraction') ? this.layout() : null;
  }

  /** True when `compute` runs in WebAssembly. */
  get usesWasm(): boolean {
    return this.wasm !== null;
  }

  private layout(): Layout {
    const { p, dims, first, last } = this;
    const exports = instantiateWasm<AttractionExports>('attraction');
    const e0 = p.rowPtr[first];
    const e1 = p.rowPtr[last];
    const nnz = e1 - e0;
    const rows = last - first;
    const at = (bytes: number) => Math.ceil(bytes / 64) * 64;
    const rowPtr = 0;
    const cols = at(rowPtr + 4 * (rows + 1));
    const vals = at(cols + 4 * nnz);
    const y = at(vals + 4 * nnz);
    const out = at(y + 8 * dims * p.n);
    ensureWasmMemory(exports.memory, out + 8 * dims * p.n);
    const buffer = exports.memory.buffer;
    const ptr = new Int32Array(buffer, rowPtr, rows + 1);
    for (let r = 0; r <= rows; r++) ptr[r] = p.rowPtr[first + r] - e0;
    new Int32Array(buffer, cols, nnz).set(p.cols.subarray(e0, e1));
    new Float32Array(buffer, vals, nnz).set(p.vals.subarray(e0, e1));
    return {
      exports,
      rowPtr,
      cols,
      vals,
      y: new Float64Array(buffer, y, dims * p.n),
      out: new Float64Array(buffer, out, dims * p.n),
    };
  }

  /**
   * Attractive forces (times `exaggeration`) of rows [from, to), which must lie in this kernel's
   * block, into those rows of `out` (n x dims), as `attractiveForces`.
   */
  compute(positions: Float64Array, exaggeration: number, out: Float64Array, from: number, to: number): void {
    if (from < this.first || to > this.last) {
      throw new Error(`rows [${from}, ${to}) outside the kernel's block [${this.first}, ${this.last})`);
    }
    const w = this.wasm;
    if (w === null) {
      attractiveForces(this.p, positions, this.dims, exaggeration, out, from, to);
      return;
    }
    const n = this.p.n;
    const d = this.dims;
    w.y.set(positions.subarray(0, d * n));
    const kernel = d === 2 ? w.exports.attraction2d : w.exports.attraction3d;
    kernel(w.rowPtr, w.cols, w.vals, w.y.byteOffset, w.out.byteOffset, this.first, from, to, exaggeration);
    out.set(w.out.subarray(d * from, d * to), d * from);
  }
}
