// AssemblyScript source of wasm/gradient-step.wasm (built by `npm run build:wasm`).
//
// t-SNE's descent step and re-centring in 2D (src/reduce/tsne/gradient-step.ts: `descendRange`,
// `recentreRange`), a point's (x, y) per f64x2: the TypeScript's operations in its order, lane by
// lane, so the positions agree bit for bit. The module imports the shared memory (an arena,
// src/reduce/wasm-arena.ts) where the parallel engine keeps its point arrays; every pointer argument is
// a byte offset into it. Arrays are n x 2 f64; `blockSums` holds 2 f64 per block of `block` points.

// Math.sign's result compared as the TypeScript compares it: +-0 stay themselves (equal to each
// other), NaN stays NaN (equal to nothing).
@inline
function sign(v: v128): v128 {
  const one = f64x2.splat(1);
  const pos = f64x2.gt(v, f64x2.splat(0));
  const neg = f64x2.lt(v, f64x2.splat(0));
  return v128.bitselect(one, v128.bitselect(f64x2.neg(one), v, neg), pos);
}

export function descend2d(
  y: usize,
  update: usize,
  gains: usize,
  attr: usize,
  rep: usize,
  from: i32,
  to: i32,
  invZ: f64,
  momentum: f64,
  learningRate: f64,
  minGain: f64,
  maxStep2: f64,
  gainIncrease: f64,
  gainDecay: f64,
  blockSums: usize,
  block: i32,
): void {
  const iz = f64x2.splat(invZ);
  const mo = f64x2.splat(momentum);
  const lr = f64x2.splat(learningRate);
  const lowest = f64x2.splat(minGain);
  const up = f64x2.splat(gainIncrease);
  const down = f64x2.splat(gainDecay);
  for (let start = from; start < to; start += block) {
    const end = min(to, start + block);
    let sum = f64x2.splat(0);
    for (let i = start; i < end; i++) {
      const at = (<usize>i) << 4;
      const grad = f64x2.sub(v128.load(attr + at), f64x2.mul(v128.load(rep + at), iz));
      const u = v128.load(update + at);
      const g0 = v128.load(gains + at);
      // Grow the gain where the gradient's sign differs from the last update's, else decay it.
      const same = f64x2.eq(sign(grad), sign(u));
      let g = v128.bitselect(f64x2.mul(g0, down), f64x2.add(g0, up), same);
      g = v128.bitselect(lowest, g, f64x2.lt(g, lowest));
      v128.store(gains + at, g);
      let nu = f64x2.sub(f64x2.mul(mo, u), f64x2.mul(f64x2.mul(lr, g), grad));
      const sq = f64x2.mul(nu, nu);
      const step2 = f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1);
      if (step2 > maxStep2) nu = f64x2.mul(nu, f64x2.splat(Math.sqrt(maxStep2 / step2)));
      v128.store(update + at, nu);
      const p = f64x2.add(v128.load(y + at), nu);
      v128.store(y + at, p);
      sum = f64x2.add(sum, p);
    }
    v128.store(blockSums + ((<usize>(start / block)) << 4), sum);
  }
}

// Subtracts (meanX, meanY) from points [from, to); their smallest and largest coordinate over both
// axes into range[0], range[1].
export function recentre2d(y: usize, from: i32, to: i32, meanX: f64, meanY: f64, range: usize): void {
  const mean = f64x2(meanX, meanY);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const at = y + ((<usize>i) << 4);
    const v = f64x2.sub(v128.load(at), mean);
    v128.store(at, v);
    const vx = f64x2.extract_lane(v, 0);
    const vy = f64x2.extract_lane(v, 1);
    if (vx < lo) lo = vx;
    if (vx > hi) hi = vx;
    if (vy < lo) lo = vy;
    if (vy > hi) hi = vy;
  }
  store<f64>(range, lo);
  store<f64>(range, hi, 8);
}
