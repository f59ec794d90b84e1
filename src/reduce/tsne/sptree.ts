/**
 * A space-partitioning tree over 2D (quadtree) or 3D (octree) points, the summary structure of
 * Barnes-Hut t-SNE (van der Maaten 2014, section 4.2). Built by iterative insertion (no recursion),
 * over flat row-major Float64Array positions, into node arrays the tree owns and reuses across
 * rebuilds, so the optimiser allocates nothing per iteration once the arrays have grown.
 *
 * Node layout: node 0 is the root, a cube enclosing every point. An internal node's children are
 * stored contiguously from `firstChild[node]` (4 in 2D, 8 in 3D); child c covers the half-space
 * with bit d of c set iff coordinate d >= the parent's centre. A leaf holds one point, or several
 * points that coincide (exact duplicates, or points still together at `MAX_DEPTH`), summarised
 * by their count and centre of mass.
 */
import { float64Array, int32Array } from './shared-arrays.js';

/**
 * Depth at which subdivision stops. Each level halves the cell, so after 48 levels a cell is 2^-48
 * of the root, below float64 resolution of the coordinates: points still sharing a cell are merged.
 */
export const MAX_DEPTH = 48;

export class SpTree {
  readonly dims: 2 | 3;
  readonly nChildren: number;
  /** Number of nodes in use after `build`. */
  size = 0;
  /** Cell centre per node, `dims` values each. */
  centre = new Float64Array(0);
  /** Half the side length of each node's cubic cell. */
  halfWidth = new Float64Array(0);
  /** Centre of mass of the points below each node, `dims` values each (sums during `build`). */
  com = new Float64Array(0);
  /** Number of points below each node. */
  count = new Int32Array(0);
  /** Index of the first of the node's children, or -1 for a leaf. */
  firstChild = new Int32Array(0);
  /** A leaf's representative point index, or -1 when empty or internal. */
  point = new Int32Array(0);
  private depth = new Int32Array(0);

  constructor(dims: 2 | 3) {
    this.dims = dims;
    this.nChildren = dims === 2 ? 4 : 8;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.count.length) return;
    const cap = Math.max(needed, Math.ceil(this.count.length * 1.5), 64);
    const d = this.dims;
    const grow64 = (a: Float64Array, w: number) => {
      const b = new Float64Array(cap * w);
      b.set(a.subarray(0, this.size * w));
      return b;
    };
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, this.size));
      return b;
    };
    this.centre = grow64(this.centre, d);
    this.halfWidth = grow64(this.halfWidth, 1);
    this.com = grow64(this.com, d);
    this.count = grow32(this.count);
    this.firstChild = grow32(this.firstChild);
    this.point = grow32(this.point);
    this.depth = grow32(this.depth);
  }

  private initNode(node: number, depth: number): void {
    const d = this.dims;
    for (let c = 0; c < d; c++) this.com[node * d + c] = 0;
    this.count[node] = 0;
    this.firstChild[node] = -1;
    this.point[node] = -1;
    this.depth[node] = depth;
  }

  /**
   * Rebuild the tree over `n` points stored row-major in `positions` (n x dims). `order`, when
   * given, is the insertion order (a permutation of 0 .. n-1): the previous tree's depth-first
   * order makes consecutive insertions walk nearly the same path, which keeps the walk in cache.
   * The tree itself does not depend on the order (only which of several identical points
   * represents their shared leaf does).
   *
   * Insertion only descends and splits; counts and centres of mass are added up afterwards in one
   * pass from the last node to the first (children always come after their parent).
   */
  build(positions: Float64Array, n: number, order: Int32Array | null = null): void {
    const d = this.dims;
    this.size = 0;
    this.ensureCapacity(Math.max(64, 2 * n + 1));
    // Root: the bounding cube, slightly enlarged so the maximum lands inside.
    let half = 0;
    for (let c = 0; c < d; c++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const v = positions[i * d + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (n === 0) lo = hi = 0;
      this.centre[c] = (lo + hi) / 2;
      half = Math.max(half, (hi - lo) / 2);
    }
    this.halfWidth[0] = half * (1 + 1e-9) + 1e-12;
    this.initNode(0, 0);
    this.size = 1;
    const ordered = order !== null && order.length >= n;
    if (d === 2) this.insertAll2d(positions, n, ordered ? order : null);
    else this.insertAll3d(positions, n, ordered ? order : null);
    this.sumUp(positions);
  }

  /** Counts and centres of mass of internal nodes from their children's; leaves' sums become means. */
  private sumUp(positions: Float64Array): void {
    const d = this.dims;
    const nc = this.nChildren;
    const { com, count, firstChild, point, depth } = this;
    for (let node = this.size - 1; node >= 0; node--) {
      const fc = firstChild[node];
      if (fc >= 0) {
        let cnt = 0;
        for (let c = 0; c < nc; c++) cnt += count[fc + c];
        count[node] = cnt;
        for (let k = 0; k < d; k++) {
          let sum = 0;
          for (let c = 0; c < nc; c++) sum += com[(fc + c) * d + k];
          com[node * d + k] = sum;
        }
      }
    }
    for (let node = 0; node < this.size; node++) {
      const cnt = count[node];
      const p = point[node];
      if (p >= 0 && depth[node] < MAX_DEPTH) {
        // A leaf above the depth limit holds exact duplicates: its centre is the point itself,
        // bit for bit, so a point finds its own leaf at distance exactly 0.
        for (let k = 0; k < d; k++) com[node * d + k] = positions[p * d + k];
      } else if (cnt > 0) {
        for (let k = 0; k < d; k++) com[node * d + k] /= cnt;
      }
    }
  }

  /**
   * Inserts every point of a 2D tree, descending and splitting only (leaves carry counts and
   * coordinate sums until `sumUp`), written out with local arrays (a generic path with per-dimension
   * loops and calls cost twice the time at 10k points).
   */
  private insertAll2d(y: Float64Array, n: number, order: Int32Array | null): void {
    let { centre, halfWidth, com, count, firstChild, point, depth } = this;
    for (let t = 0; t < n; t++) {
      const i = order === null ? t : order[t];
      const px = y[2 * i];
      const py = y[2 * i + 1];
      let node = 0;
      for (let fc = firstChild[0]; fc >= 0; fc = firstChild[node]) {
        node = fc + (px >= centre[2 * node] ? 1 : 0) + (py >= centre[2 * node + 1] ? 2 : 0);
      }
      for (;;) {
        const p = point[node];
        if (p < 0) {
          point[node] = i;
          count[node] = 1;
          com[2 * node] = px;
          com[2 * node + 1] = py;
          break;
        }
        const qx = y[2 * p];
        const qy = y[2 * p + 1];
        if ((qx === px && qy === py) || depth[node] >= MAX_DEPTH) {
          count[node] += 1;
          com[2 * node] += px;
          com[2 * node + 1] += py;
          break;
        }
        if (this.size + 4 > count.length) {
          this.ensureCapacity(this.size + 4);
          ({ centre, halfWidth, com, count, firstChild, point, depth } = this);
        }
        const f = this.size;
        this.size += 4;
        firstChild[node] = f;
        const h = halfWidth[node] / 2;
        const cx = centre[2 * node];
        const cy = centre[2 * node + 1];
        const childDepth = depth[node] + 1;
        for (let c = 0; c < 4; c++) {
          const k = f + c;
          firstChild[k] = -1;
          point[k] = -1;
          count[k] = 0;
          com[2 * k] = 0;
          com[2 * k + 1] = 0;
          depth[k] = childDepth;
          halfWidth[k] = h;
          centre[2 * k] = cx + (c & 1 ? h : -h);
          centre[2 * k + 1] = cy + (c & 2 ? h : -h);
        }
        const moved = f + (qx >= cx ? 1 : 0) + (qy >= cy ? 2 : 0);
        point[moved] = p;
        count[moved] = count[node];
        com[2 * moved] = com[2 * node];
        com[2 * moved + 1] = com[2 * node + 1];
        point[node] = -1;
        node = f + (px >= cx ? 1 : 0) + (py >= cy ? 2 : 0);
      }
    }
  }

  /**
   * `insertAll2d` for an octree, written out the same way (a generic path with per-dimension loops
   * and calls cost 1.6 times the time at 10k points: 3.9 against 2.45 ms).
   */
  private insertAll3d(y: Float64Array, n: number, order: Int32Array | null): void {
    let { centre, halfWidth, com, count, firstChild, point, depth } = this;
    for (let t = 0; t < n; t++) {
      const i = order === null ? t : order[t];
      const px = y[3 * i];
      const py = y[3 * i + 1];
      const pz = y[3 * i + 2];
      let node = 0;
      for (let fc = firstChild[0]; fc >= 0; fc = firstChild[node]) {
        const b = 3 * node;
        node = fc + (px >= centre[b] ? 1 : 0) + (py >= centre[b + 1] ? 2 : 0) + (pz >= centre[b + 2] ? 4 : 0);
      }
      for (;;) {
        const p = point[node];
        if (p < 0) {
          point[node] = i;
          count[node] = 1;
          com[3 * node] = px;
          com[3 * node + 1] = py;
          com[3 * node + 2] = pz;
          break;
        }
        const qx = y[3 * p];
        const qy = y[3 * p + 1];
        const qz = y[3 * p + 2];
        if ((qx === px && qy === py && qz === pz) || depth[node] >= MAX_DEPTH) {
          count[node] += 1;
          com[3 * node] += px;
          com[3 * node + 1] += py;
          com[3 * node + 2] += pz;
          break;
        }
        if (this.size + 8 > count.length) {
          this.ensureCapacity(this.size + 8);
          ({ centre, halfWidth, com, count, firstChild, point, depth } = this);
        }
        const f = this.size;
        this.size += 8;
        firstChild[node] = f;
        const h = halfWidth[node] / 2;
        const cx = centre[3 * node];
        const cy = centre[3 * node + 1];
        const cz = centre[3 * node + 2];
        const childDepth = depth[node] + 1;
        for (let c = 0; c < 8; c++) {
          const k = f + c;
          firstChild[k] = -1;
          point[k] = -1;
          count[k] = 0;
          com[3 * k] = 0;
          com[3 * k + 1] = 0;
          com[3 * k + 2] = 0;
          depth[k] = childDepth;
          halfWidth[k] = h;
          centre[3 * k] = cx + (c & 1 ? h : -h);
          centre[3 * k + 1] = cy + (c & 2 ? h : -h);
          centre[3 * k + 2] = cz + (c & 4 ? h : -h);
        }
        const moved = f + (qx >= cx ? 1 : 0) + (qy >= cy ? 2 : 0) + (qz >= cz ? 4 : 0);
        point[moved] = p;
        count[moved] = count[node];
        com[3 * moved] = com[3 * node];
        com[3 * moved + 1] = com[3 * node + 1];
        com[3 * moved + 2] = com[3 * node + 2];
        point[node] = -1;
        node = f + (px >= cx ? 1 : 0) + (py >= cy ? 2 : 0) + (pz >= cz ? 4 : 0);
      }
    }
  }
}

/**
 * The tree flattened for traversal: non-empty nodes in depth-first pre-order, `stride` = dims + 3
 * numbers each: centre of mass (dims), squared side length (-1 for leaves, so that a leaf is always
 * accepted as a summary), point count, and `skip`, the index of the first node after this node's
 * subtree. A traversal then needs no stack: accept a node and jump to `skip`, or open it and step
 * to the next node (its first child). Memory is read forwards only, and one node's numbers share a
 * cache line.
 */
export class FlatTree {
  nodes: Float64Array = new Float64Array(0);
  size = 0;
  /** Numbers per node. */
  readonly stride: number;
  /** Every point once, leaves in depth-first order: neighbours in this order are neighbours in space. */
  order: Int32Array = new Int32Array(0);
  private stack = new Int32Array(0);
  private listed = new Uint8Array(0);
  /** Bumped whenever `nodes` or `order` is reallocated (the parallel engine re-sends them). */
  version = 0;

  /** `shared`: keep `nodes` and `order` in SharedArrayBuffers, for worker threads. */
  constructor(
    readonly dims: 2 | 3,
    private readonly shared = false,
  ) {
    this.stride = dims + 3;
  }

  /** Flatten `tree`, built over n points. */
  fill(tree: SpTree, n: number): void {
    const d = this.dims;
    const s = this.stride;
    if (this.nodes.length < tree.size * s) {
      this.nodes = float64Array(Math.ceil(tree.size * 1.5) * s, this.shared);
      this.version++;
    }
    if (this.order.length < n) {
      this.order = int32Array(n, this.shared);
      this.listed = new Uint8Array(n);
      this.version++;
    }
    // Pending nodes plus one marker per open internal node: never more than twice the nodes.
    if (this.stack.length < 2 * tree.size + 8) this.stack = new Int32Array(2 * tree.size + 8);
    const { nodes, order, stack, listed } = this;
    const { com, count, firstChild, halfWidth, point, nChildren } = tree;
    // Pre-order walk with an explicit stack; children are pushed in reverse so child 0 comes out
    // first. Below a node's children we push a marker (-1 - slot): when it comes out, the subtree is
    // complete and the next free slot is the node's skip.
    let out = 0;
    let listedCount = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const item = stack[--sp];
      if (item < 0) {
        nodes[(-1 - item) * s + d + 2] = out;
        continue;
      }
      const cnt = count[item];
      if (cnt === 0) continue;
      const slot = out++;
      const base = slot * s;
      for (let k = 0; k < d; k++) nodes[base + k] = com[item * d + k];
      nodes[base + d + 1] = cnt;
      const fc = firstChild[item];
      if (fc < 0) {
        nodes[base + d] = -1;
        nodes[base + d + 2] = out;
        order[listedCount++] = point[item];
        continue;
      }
      const side = 2 * halfWidth[item];
      nodes[base + d] = side * side;
      stack[sp++] = -1 - slot;
      for (let c = nChildren - 1; c >= 0; c--) stack[sp++] = fc + c;
    }
    this.size = out;
    if (listedCount < n) {
      // Points merged into another point's leaf (duplicates) follow the listed ones.
      listed.fill(0, 0, n);
      for (let t = 0; t < listedCount; t++) listed[order[t]] = 1;
      for (let i = 0; i < n; i++) if (!listed[i]) order[listedCount++] = i;
    }
  }
}
