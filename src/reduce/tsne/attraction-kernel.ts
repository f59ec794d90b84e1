/**
 * The attractive forces for a fixed block of rows of P, in WebAssembly when it is built
 * (asm/attraction.ts; the same single-precision operations as gradient-attractive.ts, so the same
 * numbers bit for bit, four entries per vector: bench/README.md), else by `attractiveForces` itself.
 *
 * When P lies in a shared WebAssembly memory (`p.memory`, attraction-memory.ts) the instance imports
 * that memory and reads the block's rows where they are; otherwise it copies the block once into a
 * memory of its own. Each instance reserves its scratch there: the positions, copied as f32 at
 * every evaluation (8 bytes a point in 2D, 16 in 3D, against ~120 neighbours a point to visit), and
 * its forces.
 * Each thread of the parallel engine holds the rows it may be asked for.
 */

import { arenaFloat32, arenaFloat64 } from '../wasm-arena.js';
import { instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import type { CsrMatrix } from './affinities.js';
import { csrBlockInWasmMemory } from './attraction-memory.js';
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
  attraction2d: Kernel;
  attraction3d: Kernel;
}

interface Layout {
  exports: AttractionExports;
  /** Byte offsets of the block's first row offset, of the entries' columns and values. */
  rowPtr: number;
  cols: number;
  vals: number;
  /** The positions as the kernel reads them: f32, 2 per point in 2D, 4 in 3D (x, y, z, unused). */
  y: Float32Array;
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

  private layout(): Layout | null {
    const { p, dims, first, last } = this;
    const scratch = (4 * yStride(dims) + 8 * dims) * p.n + 128;
    // P in place when it lies in a shared WebAssembly memory; else a copy of the block's rows.
    const home = p.memory ? p : csrBlockInWasmMemory(p, first, last, scratch);
    if (home === null) return null;
    const memory = home.memory as WasmMemory;
    // The row offsets the kernel reads as local row 0: P's own (global entry numbers) or the block's.
    const rowPtr = home === p ? p.rowPtr.byteOffset + 4 * first : home.rowPtr.byteOffset;
    return {
      exports: instantiateWasm<AttractionExports>('attraction', memory),
      rowPtr,
      cols: home.cols.byteOffset,
      vals: home.vals.byteOffset,
      y: arenaFloat32(memory, yStride(dims) * p.n),
      out: arenaFloat64(memory, dims * p.n),
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
    if (d === 2) w.y.set(positions.subarray(0, 2 * n));
    else for (let i = 0; i < n; i++) w.y.set(positions.subarray(3 * i, 3 * i + 3), 4 * i);
    const kernel = d === 2 ? w.exports.attraction2d : w.exports.attraction3d;
    kernel(w.rowPtr, w.cols, w.vals, w.y.byteOffset, w.out.byteOffset, this.first, from, to, exaggeration);
    out.set(w.out.subarray(d * from, d * to), d * from);
  }
}

/** f32 slots per point in the kernel's copy of the positions (3D points padded to one vector). */
function yStride(dims: 2 | 3): number {
  return dims === 2 ? 2 : 4;
}
