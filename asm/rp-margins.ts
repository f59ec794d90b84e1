// AssemblyScript source of wasm/rp-margins.wasm (built by `npm run build:wasm`).
//
// The margins of a random-projection tree's split (src/reduce/knn/query-knn.ts, `buildTree`): for
// each point of a node, offset + normal . x, with x the point's f32 row read as f64. Four running sums,
// one per column index mod 4 (lanes of two f64x2), the remaining columns added to the first, then
// (s0 + s1) + (s2 + s3): the TypeScript `margin` does the same, so the margins, and with them the
// trees, agree bit for bit. All pointers are byte offsets into this module's own memory, laid out by
// src/reduce/knn/rp-margin-kernel.ts: the f32 data (rows x d), the order (i32), the normal (f64 x d)
// and the margins (f64, indexed like the order).

export function margins(
  data: usize,
  order: usize,
  start: i32,
  end: i32,
  d: i32,
  normal: usize,
  offset: f64,
  out: usize,
): void {
  const whole = d & ~3;
  for (let p = start; p < end; p++) {
    const row = data + ((<usize>load<i32>(order + ((<usize>p) << 2)) * <usize>d) << 2);
    let s01 = f64x2(offset, 0);
    let s23 = f64x2.splat(0);
    let c = 0;
    for (; c < whole; c += 4) {
      const x = v128.load(row + ((<usize>c) << 2));
      const n = normal + ((<usize>c) << 3);
      s01 = f64x2.add(s01, f64x2.mul(v128.load(n), f64x2.promote_low_f32x4(x)));
      s23 = f64x2.add(
        s23,
        f64x2.mul(v128.load(n, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1))),
      );
    }
    let s0 = f64x2.extract_lane(s01, 0);
    for (; c < d; c++) s0 += load<f64>(normal + ((<usize>c) << 3)) * <f64>load<f32>(row + ((<usize>c) << 2));
    const m = s0 + f64x2.extract_lane(s01, 1) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
    store<f64>(out + ((<usize>p) << 3), m);
  }
}
