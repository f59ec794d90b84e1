// AssemblyScript source of wasm/attraction.wasm (built by `npm run build:wasm`).
//
// The attractive forces of t-SNE (src/reduce/tsne/gradient-attractive.ts) for a block of rows of the
// sparse P held in this module's memory, which it imports: a shared memory in which P was built, read by
// every thread's instance in place (src/reduce/tsne/attraction-memory.ts).
//
// Single precision, four entries of a row at a time: lane k of the sums takes entries k, k + 4, k + 8...
// of the row, the lanes are added up in order, and the last (row length mod 4) entries are added one by
// one. gradient-attractive.ts does the same operations in the same order with Math.fround, so the forces
// agree bit for bit. One f32x4 division serves four entries, and the positions take half the cache they
// took in f64: at a million points this runs in under half the time of the f64 loop (bench/README.md).
// All arguments are byte offsets into that memory, laid out by src/reduce/tsne/attraction-kernel.ts;
// `rowPtr` holds rows + 1 i32 offsets into `cols` (i32, global point indices) and `vals` (f32, as P is
// stored), for the rows [first, first + rows) of P. Positions `y` are f32, 8 bytes a point in 2D and
// 16 in 3D (x, y, z, unused); the forces `out` are f64, 16 or 24 bytes a point.

@inline
function col(cols: usize, e: i32): usize {
  return <usize>load<i32>(cols + ((<usize>e) << 2));
}

@inline
function sumLanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

export function attraction2d(
  rowPtr: usize,
  cols: usize,
  vals: usize,
  y: usize,
  out: usize,
  first: i32,
  from: i32,
  to: i32,
  exaggeration: f64,
): void {
  const one = f32x4.splat(1);
  for (let i = from; i < to; i++) {
    const local = <usize>(i - first);
    const px = load<f32>(y + ((<usize>i) << 3));
    const py = load<f32>(y + ((<usize>i) << 3) + 4);
    const xi = f32x4.splat(px);
    const yi = f32x4.splat(py);
    let fx = f32x4.splat(0);
    let fy = f32x4.splat(0);
    const stop = load<i32>(rowPtr + ((local + 1) << 2));
    let e = load<i32>(rowPtr + (local << 2));
    for (; e + 4 <= stop; e += 4) {
      // Two neighbours' (x, y) per vector, then the x's and the y's of all four.
      let a = v128.load64_zero(y + (col(cols, e) << 3));
      a = v128.load64_lane(y + (col(cols, e + 1) << 3), a, 1);
      let b = v128.load64_zero(y + (col(cols, e + 2) << 3));
      b = v128.load64_lane(y + (col(cols, e + 3) << 3), b, 1);
      const dx = f32x4.sub(xi, v128.shuffle<f32>(a, b, 0, 2, 4, 6));
      const dy = f32x4.sub(yi, v128.shuffle<f32>(a, b, 1, 3, 5, 7));
      const q = f32x4.add(f32x4.add(one, f32x4.mul(dx, dx)), f32x4.mul(dy, dy));
      const w = f32x4.div(v128.load(vals + ((<usize>e) << 2)), q);
      fx = f32x4.add(fx, f32x4.mul(w, dx));
      fy = f32x4.add(fy, f32x4.mul(w, dy));
    }
    let sx = sumLanes(fx);
    let sy = sumLanes(fy);
    for (; e < stop; e++) {
      const o = y + (col(cols, e) << 3);
      const dx = px - load<f32>(o);
      const dy = py - load<f32>(o + 4);
      const w = load<f32>(vals + ((<usize>e) << 2)) / (<f32>1 + dx * dx + dy * dy);
      sx += w * dx;
      sy += w * dy;
    }
    const o = out + ((<usize>i) << 4);
    store<f64>(o, exaggeration * <f64>sx);
    store<f64>(o + 8, exaggeration * <f64>sy);
  }
}

export function attraction3d(
  rowPtr: usize,
  cols: usize,
  vals: usize,
  y: usize,
  out: usize,
  first: i32,
  from: i32,
  to: i32,
  exaggeration: f64,
): void {
  const one = f32x4.splat(1);
  for (let i = from; i < to; i++) {
    const local = <usize>(i - first);
    const pi = v128.load(y + ((<usize>i) << 4));
    const px = f32x4.extract_lane(pi, 0);
    const py = f32x4.extract_lane(pi, 1);
    const pz = f32x4.extract_lane(pi, 2);
    const xi = f32x4.splat(px);
    const yi = f32x4.splat(py);
    const zi = f32x4.splat(pz);
    let fx = f32x4.splat(0);
    let fy = f32x4.splat(0);
    let fz = f32x4.splat(0);
    const stop = load<i32>(rowPtr + ((local + 1) << 2));
    let e = load<i32>(rowPtr + (local << 2));
    for (; e + 4 <= stop; e += 4) {
      // Four neighbours' (x, y, z, -), transposed into their x's, y's and z's.
      const a = v128.load(y + (col(cols, e) << 4));
      const b = v128.load(y + (col(cols, e + 1) << 4));
      const c = v128.load(y + (col(cols, e + 2) << 4));
      const d = v128.load(y + (col(cols, e + 3) << 4));
      const ab = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
      const cd = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
      const abz = v128.shuffle<f32>(a, b, 2, 6, 2, 6);
      const cdz = v128.shuffle<f32>(c, d, 2, 6, 2, 6);
      const dx = f32x4.sub(xi, v128.shuffle<f32>(ab, cd, 0, 1, 4, 5));
      const dy = f32x4.sub(yi, v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
      const dz = f32x4.sub(zi, v128.shuffle<f32>(abz, cdz, 0, 1, 4, 5));
      const q = f32x4.add(f32x4.add(f32x4.add(one, f32x4.mul(dx, dx)), f32x4.mul(dy, dy)), f32x4.mul(dz, dz));
      const w = f32x4.div(v128.load(vals + ((<usize>e) << 2)), q);
      fx = f32x4.add(fx, f32x4.mul(w, dx));
      fy = f32x4.add(fy, f32x4.mul(w, dy));
      fz = f32x4.add(fz, f32x4.mul(w, dz));
    }
    let sx = sumLanes(fx);
    let sy = sumLanes(fy);
    let sz = sumLanes(fz);
    for (; e < stop; e++) {
      const o = y + (col(cols, e) << 4);
      const dx = px - load<f32>(o);
      const dy = py - load<f32>(o + 4);
      const dz = pz - load<f32>(o + 8);
      const w = load<f32>(vals + ((<usize>e) << 2)) / (<f32>1 + dx * dx + dy * dy + dz * dz);
      sx += w * dx;
      sy += w * dy;
      sz += w * dz;
    }
    const o = out + <usize>i * 24;
    store<f64>(o, exaggeration * <f64>sx);
    store<f64>(o + 8, exaggeration * <f64>sy);
    store<f64>(o + 16, exaggeration * <f64>sz);
  }
}
