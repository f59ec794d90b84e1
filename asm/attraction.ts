// AssemblyScript source of wasm/attraction.wasm (built by `npm run build:wasm`).
//
// The attractive forces of t-SNE (src/reduce/tsne/gradient-attractive.ts) for a block of rows of the
// sparse P held in this module's memory, which it imports: a shared memory in which P was built, read by
// every thread's instance in place (src/reduce/tsne/attraction-memory.ts). In 2D a point's (x, y) is one f64x2, so each neighbour costs
// one load, and the arithmetic is the TypeScript's, operation for operation (the squared distance is
// added up as 1 + dx^2 + dy^2, in that order): the forces agree bit for bit.
// All arguments are byte offsets into that memory, laid out by src/reduce/tsne/attraction-kernel.ts;
// `rowPtr` holds rows + 1 i32 offsets into `cols` (i32, global point indices) and `vals` (f32, as P is
// stored; read as f64 like the TypeScript does), for the rows [first, first + rows) of P.

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
  const ex = f64x2.splat(exaggeration);
  for (let i = from; i < to; i++) {
    const local = <usize>(i - first);
    const yi = v128.load(y + ((<usize>i) << 4));
    let f = f64x2.splat(0);
    const stop = load<i32>(rowPtr + ((local + 1) << 2));
    for (let e = load<i32>(rowPtr + (local << 2)); e < stop; e++) {
      const j = <usize>load<i32>(cols + ((<usize>e) << 2));
      const diff = f64x2.sub(yi, v128.load(y + (j << 4)));
      const sq = f64x2.mul(diff, diff);
      const q = 1 + f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1);
      const pw = <f64>load<f32>(vals + ((<usize>e) << 2)) / q;
      f = f64x2.add(f, f64x2.mul(f64x2.splat(pw), diff));
    }
    v128.store(out + ((<usize>i) << 4), f64x2.mul(ex, f));
  }
}

// The same in 3D, scalar (a point's three coordinates do not fill whole f64x2 lanes).
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
  for (let i = from; i < to; i++) {
    const local = <usize>(i - first);
    const oi = y + <usize>i * 24;
    const yx = load<f64>(oi);
    const yy = load<f64>(oi + 8);
    const yz = load<f64>(oi + 16);
    let fx: f64 = 0;
    let fy: f64 = 0;
    let fz: f64 = 0;
    const stop = load<i32>(rowPtr + ((local + 1) << 2));
    for (let e = load<i32>(rowPtr + (local << 2)); e < stop; e++) {
      const oj = y + <usize>load<i32>(cols + ((<usize>e) << 2)) * 24;
      const dx = yx - load<f64>(oj);
      const dy = yy - load<f64>(oj + 8);
      const dz = yz - load<f64>(oj + 16);
      const pw = <f64>load<f32>(vals + ((<usize>e) << 2)) / (1 + dx * dx + dy * dy + dz * dz);
      fx += pw * dx;
      fy += pw * dy;
      fz += pw * dz;
    }
    const o = out + <usize>i * 24;
    store<f64>(o, exaggeration * fx);
    store<f64>(o + 8, exaggeration * fy);
    store<f64>(o + 16, exaggeration * fz);
  }
}
