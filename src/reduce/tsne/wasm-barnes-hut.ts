/**
 * The grouped 2D Barnes-Hut repulsion (gradient-bh-grouped.ts) in WebAssembly (asm/barnes-hut.ts):
 * the same walk and the same sums, bit for bit, with the group's points taken two per SIMD pair.
 * Each thread has its own instance; an evaluation copies the flattened tree, the tree order and the
 * positions in (about 50 bytes a point) and this thread's forces and Z shares out.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import type { FlatTree } from './sptree.js';

interface BarnesHutExports {
  memory: WasmMemory;
  repulsion2d(
    nodes: number,
    size: number,
    order: number,
    y: number,
    n: number,
    theta2: number,
    groupSize: number,
    g0: number,
    g1: number,
    cells: number,
    out: number,
    zPoint: number,
  ): void;
}

/** True when the WebAssembly Barnes-Hut can run on this thread. */
export function wasmBarnesHutAvailable(): boolean {
  return wasmAvailable('barnes-hut');
}

export class WasmBarnesHut2d {
  private readonly exports = instantiateWasm<BarnesHutExports>('barnes-hut');
  private points = -1;
  private nodeCapacity = -1;
  private nodes = new Float64Array(0);
  private order = new Int32Array(0);
  private y = new Float64Array(0);
  private out = new Float64Array(0);
  private zPoint = new Float64Array(0);
  private cells = 0;

  /** Lays the memory out for n points and `size` tree nodes, with room for the tree to grow. */
  private layout(n: number, size: number): void {
    if (n === this.points && size <= this.nodeCapacity) return;
    const nodeCapacity = Math.ceil(size * 1.5) + 64;
    const at = (bytes: number) => Math.ceil(bytes / 64) * 64;
    const nodes = 0;
    const order = at(nodes + 40 * nodeCapacity);
    const y = at(order + 4 * n);
    const out = at(y + 16 * n);
    const zPoint = at(out + 16 * n);
    const cells = at(zPoint + 8 * n);
    // Every node accepted at most once per walk: 3 values each.
    ensureWasmMemory(this.exports.memory, cells + 24 * nodeCapacity);
    const buffer = this.exports.memory.buffer;
    this.nodes = new Float64Array(buffer, nodes, 5 * nodeCapacity);
    this.order = new Int32Array(buffer, order, n);
    this.y = new Float64Array(buffer, y, 2 * n);
    this.out = new Float64Array(buffer, out, 2 * n);
    this.zPoint = new Float64Array(buffer, zPoint, n);
    this.cells = cells;
    this.points = n;
    this.nodeCapacity = nodeCapacity;
  }

  /** `repulsiveForcesBhGrouped` for groups [g0, g1) of `groupSize` points. */
  compute(
    flat: FlatTree,
    n: number,
    positions: Float64Array,
    theta: number,
    groupSize: number,
    out: Float64Array,
    zPoint: Float64Array,
    g0: number,
    g1: number,
  ): void {
    this.layout(n, flat.size);
    this.nodes.set(flat.nodes.subarray(0, 5 * flat.size));
    this.order.set(flat.order.subarray(0, n));
    this.y.set(positions.subarray(0, 2 * n));
    this.exports.repulsion2d(
      this.nodes.byteOffset,
      flat.size,
      this.order.byteOffset,
      this.y.byteOffset,
      n,
      theta * theta,
      groupSize,
      g0,
      g1,
      this.cells,
      this.out.byteOffset,
      this.zPoint.byteOffset,
    );
    const order = flat.order;
    const t1 = Math.min(n, g1 * groupSize);
    for (let t = Math.min(n, g0 * groupSize); t < t1; t++) {
      const i = order[t];
      out[2 * i] = this.out[2 * i];
      out[2 * i + 1] = this.out[2 * i + 1];
      zPoint[i] = this.zPoint[i];
    }
  }
}
