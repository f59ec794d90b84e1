/**
 * The grouped Barnes-Hut repulsion (gradient-bh-grouped.ts in 2D, gradient-bh-grouped-3d.ts in 3D) in
 * WebAssembly (asm/barnes-hut.ts): the same walk and the same sums, bit for bit, with the group's
 * points taken two per SIMD pair. Each thread has its own instance; an evaluation copies the flattened
 * tree, the tree order and the positions in (about 50 bytes a point in 2D, 70 in 3D) and this
 * thread's forces and Z shares out.
 */
import { ensureWasmMemory, instantiateWasm, type WasmMemory, wasmAvailable } from '../wasm-modules.js';
import type { FlatTree } from './sptree.js';

type RepulsionKernel = (
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
) => void;

interface BarnesHutExports {
  memory: WasmMemory;
  repulsion2d: RepulsionKernel;
  repulsion3d: RepulsionKernel;
}

/** True when the WebAssembly Barnes-Hut can run on this thread. */
export function wasmBarnesHutAvailable(): boolean {
  return wasmAvailable('barnes-hut');
}

export class WasmBarnesHut {
  private readonly exports = instantiateWasm<BarnesHutExports>('barnes-hut');
  private points = -1;
  private dims = 0;
  private nodeCapacity = -1;
  private nodes = new Float64Array(0);
  private order = new Int32Array(0);
  private y = new Float64Array(0);
  private out = new Float64Array(0);
  private zPoint = new Float64Array(0);
  private cells = 0;

  /** Lays the memory out for n points in `dims` and `size` tree nodes, with room for the tree to grow. */
  private layout(n: number, dims: 2 | 3, size: number): void {
    if (n === this.points && dims === this.dims && size <= this.nodeCapacity) return;
    const nodeCapacity = Math.ceil(size * 1.5) + 64;
    const stride = dims + 3;
    const at = (bytes: number) => Math.ceil(bytes / 64) * 64;
    const nodes = 0;
    const order = at(nodes + 8 * stride * nodeCapacity);
    const y = at(order + 4 * n);
    const out = at(y + 8 * dims * n);
    const zPoint = at(out + 8 * dims * n);
    const cells = at(zPoint + 8 * n);
    // Every node accepted at most once per walk: dims + 1 values each, one more written past the end,
    // and two lists (3D walks two groups at a time).
    ensureWasmMemory(this.exports.memory, cells + 2 * 8 * (dims + 1) * (nodeCapacity + 1));
    const buffer = this.exports.memory.buffer;
    this.nodes = new Float64Array(buffer, nodes, stride * nodeCapacity);
    this.order = new Int32Array(buffer, order, n);
    this.y = new Float64Array(buffer, y, dims * n);
    this.out = new Float64Array(buffer, out, dims * n);
    this.zPoint = new Float64Array(buffer, zPoint, n);
    this.cells = cells;
    this.points = n;
    this.dims = dims;
    this.nodeCapacity = nodeCapacity;
  }

  /** The grouped repulsion for groups [g0, g1) of `groupSize` points of `flat` (2D or 3D). */
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
    this.load(flat, n, positions);
    this.run(flat, n, theta, groupSize, out, zPoint, g0, g1);
  }

  /** Copies the tree, its order and the positions in, for any number of `run`s over them. */
  load(flat: FlatTree, n: number, positions: Float64Array): void {
    const d = flat.dims;
    this.layout(n, d, flat.size);
    this.nodes.set(flat.nodes.subarray(0, flat.stride * flat.size));
    this.order.set(flat.order.subarray(0, n));
    this.y.set(positions.subarray(0, d * n));
  }

  /** `compute` for groups [g0, g1) over what the last `load` copied in. */
  run(
    flat: FlatTree,
    n: number,
    theta: number,
    groupSize: number,
    out: Float64Array,
    zPoint: Float64Array,
    g0: number,
    g1: number,
  ): void {
    const d = flat.dims;
    const kernel = d === 2 ? this.exports.repulsion2d : this.exports.repulsion3d;
    kernel(
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
      for (let k = 0; k < d; k++) out[d * i + k] = this.out[d * i + k];
      zPoint[i] = this.zPoint[i];
    }
  }
}
