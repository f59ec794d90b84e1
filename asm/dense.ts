// AssemblyScript source of wasm/dense.wasm (built by `npm run build:wasm`).
//
// Dot products between the rows of two small row-major f64 matrices with 128-bit SIMD: the kernel
// behind exact kNN's block distances (src/reduce/knn/block-distances.ts) and PCA's covariance and
// projection (src/reduce/pca/pca.ts). Two rows of A against four rows of B at a time, each of the
// eight sums an f64x2 over pairs of columns (even and odd columns summed separately, then added), so
// each loaded pair is used two or four times. All arguments are byte offsets into this module's
// memory, laid out by src/reduce/dense-kernels.ts.

// c[i * ldc + j] = a_i . b_j for i < na, j < nb (nb a multiple of 4; B has that many rows, padding
// included); `upperOnly`: only j >= (i rounded down to a multiple of 4) are guaranteed. `distance`:
// write max(0, an[i] + bn[j] - 2 a_i . b_j) instead, with an/bn the rows' squared norms.
export function rowProducts(
  a: usize,
  an: usize,
  b: usize,
  bn: usize,
  c: usize,
  na: i32,
  nb: i32,
  d: i32,
  ldc: i32,
  upperOnly: i32,
  distance: i32,
): void {
  const rowBytes = (<usize>d) << 3;
  const pairs = d >> 1;
  const odd = d & 1;
  for (let i = 0; i < na; i += 2) {
    const oa = a + (<usize>i) * rowBytes;
    const ob = i + 1 < na ? oa + rowBytes : oa;
    for (let j = upperOnly ? i & ~3 : 0; j < nb; j += 4) {
      const o0 = b + (<usize>j) * rowBytes;
      const o1 = o0 + rowBytes;
      const o2 = o1 + rowBytes;
      const o3 = o2 + rowBytes;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      for (let p = 0; p < pairs; p++) {
        const off = (<usize>p) << 4;
        const x = v128.load(oa + off);
        const y = v128.load(ob + off);
        const z0 = v128.load(o0 + off);
        const z1 = v128.load(o1 + off);
        const z2 = v128.load(o2 + off);
        const z3 = v128.load(o3 + off);
        a0 = f64x2.add(a0, f64x2.mul(x, z0));
        a1 = f64x2.add(a1, f64x2.mul(x, z1));
        a2 = f64x2.add(a2, f64x2.mul(x, z2));
        a3 = f64x2.add(a3, f64x2.mul(x, z3));
        b0 = f64x2.add(b0, f64x2.mul(y, z0));
        b1 = f64x2.add(b1, f64x2.mul(y, z1));
        b2 = f64x2.add(b2, f64x2.mul(y, z2));
        b3 = f64x2.add(b3, f64x2.mul(y, z3));
      }
      let s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      let s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      let s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
      let s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
      let t0 = f64x2.extract_lane(b0, 0) + f64x2.extract_lane(b0, 1);
      let t1 = f64x2.extract_lane(b1, 0) + f64x2.extract_lane(b1, 1);
      let t2 = f64x2.extract_lane(b2, 0) + f64x2.extract_lane(b2, 1);
      let t3 = f64x2.extract_lane(b3, 0) + f64x2.extract_lane(b3, 1);
      if (odd) {
        const last = (<usize>(d - 1)) << 3;
        const x = load<f64>(oa + last);
        const y = load<f64>(ob + last);
        const z0 = load<f64>(o0 + last);
        const z1 = load<f64>(o1 + last);
        const z2 = load<f64>(o2 + last);
        const z3 = load<f64>(o3 + last);
        s0 += x * z0;
        s1 += x * z1;
        s2 += x * z2;
        s3 += x * z3;
        t0 += y * z0;
        t1 += y * z1;
        t2 += y * z2;
        t3 += y * z3;
      }
      const r0 = c + ((<usize>(i * ldc + j)) << 3);
      if (distance) {
        const na0 = load<f64>(an + ((<usize>i) << 3));
        const nbj = bn + ((<usize>j) << 3);
        store<f64>(r0, max(0, na0 + load<f64>(nbj) - 2 * s0));
        store<f64>(r0 + 8, max(0, na0 + load<f64>(nbj + 8) - 2 * s1));
        store<f64>(r0 + 16, max(0, na0 + load<f64>(nbj + 16) - 2 * s2));
        store<f64>(r0 + 24, max(0, na0 + load<f64>(nbj + 24) - 2 * s3));
        if (i + 1 < na) {
          const na1 = load<f64>(an + ((<usize>(i + 1)) << 3));
          const r1 = r0 + ((<usize>ldc) << 3);
          store<f64>(r1, max(0, na1 + load<f64>(nbj) - 2 * t0));
          store<f64>(r1 + 8, max(0, na1 + load<f64>(nbj + 8) - 2 * t1));
          store<f64>(r1 + 16, max(0, na1 + load<f64>(nbj + 16) - 2 * t2));
          store<f64>(r1 + 24, max(0, na1 + load<f64>(nbj + 24) - 2 * t3));
        }
      } else {
        store<f64>(r0, s0);
        store<f64>(r0 + 8, s1);
        store<f64>(r0 + 16, s2);
        store<f64>(r0 + 24, s3);
        if (i + 1 < na) {
          const r1 = r0 + ((<usize>ldc) << 3);
          store<f64>(r1, t0);
          store<f64>(r1 + 8, t1);
          store<f64>(r1 + 16, t2);
          store<f64>(r1 + 24, t3);
        }
      }
    }
  }
}

// Exact kNN's offers of one distance tile to every row's candidate buffer: the loop of
// src/reduce/knn/exact-knn.ts with `offerCandidate` of src/reduce/knn/candidate-rows.ts (its
// TypeScript twin, which keeps the same candidates). tile[a * ldc + b] is the distance of rows
// i0 + a and j0 + b (only b > a when `diagonal`); each row r owns slots [r * capacity, (r + 1) *
// capacity) of `dist` (f64) and `idx` (i32), `counts[r]` of them used, and accepts a candidate only
// below thresholds[r]; a full buffer keeps its k closest by distance, then index.
export function offerTile(
  tile: usize,
  ldc: i32,
  na: i32,
  nb: i32,
  i0: i32,
  j0: i32,
  diagonal: i32,
  dist: usize,
  idx: usize,
  counts: usize,
  thresholds: usize,
  capacity: i32,
  k: i32,
): void {
  for (let a = 0; a < na; a++) {
    const i = i0 + a;
    const row = tile + ((<usize>(a * ldc)) << 3);
    const ti = thresholds + ((<usize>i) << 3);
    let topI = load<f64>(ti);
    for (let b = diagonal ? a + 1 : 0; b < nb; b++) {
      const dv = load<f64>(row + ((<usize>b) << 3));
      const j = j0 + b;
      if (dv < topI) {
        offer(i, dv, j, dist, idx, counts, thresholds, capacity, k);
        topI = load<f64>(ti);
      }
      if (dv < load<f64>(thresholds + ((<usize>j) << 3))) offer(j, dv, i, dist, idx, counts, thresholds, capacity, k);
    }
  }
}

function offer(
  r: i32,
  dv: f64,
  index: i32,
  dist: usize,
  idx: usize,
  counts: usize,
  thresholds: usize,
  capacity: i32,
  k: i32,
): void {
  const base = <usize>r * <usize>capacity;
  const at = counts + ((<usize>r) << 2);
  const c = load<i32>(at);
  store<f64>(dist + ((base + c) << 3), dv);
  store<i32>(idx + ((base + c) << 2), index);
  if (c + 1 < capacity) {
    store<i32>(at, c + 1);
    return;
  }
  const kth = base + <usize>(k - 1);
  selectSmallest(dist, idx, base, base + <usize>capacity, kth);
  store<i32>(at, k);
  store<f64>(thresholds + ((<usize>r) << 3), load<f64>(dist + (kth << 3)));
}

@inline function before(dist: usize, idx: usize, a: usize, b: usize): bool {
  const da = load<f64>(dist + (a << 3));
  const db = load<f64>(dist + (b << 3));
  return da < db || (da == db && load<i32>(idx + (a << 2)) < load<i32>(idx + (b << 2)));
}

@inline function swap(dist: usize, idx: usize, a: usize, b: usize): void {
  const pa = dist + (a << 3);
  const pb = dist + (b << 3);
  const t = load<f64>(pa);
  store<f64>(pa, load<f64>(pb));
  store<f64>(pb, t);
  const qa = idx + (a << 2);
  const qb = idx + (b << 2);
  const u = load<i32>(qa);
  store<i32>(qa, load<i32>(qb));
  store<i32>(qb, u);
}

// Quickselect over elements [lo, hi) (median-of-three pivot, Lomuto partition): afterwards `kth`
// holds the element of its rank and every element before it orders before it.
function selectSmallest(dist: usize, idx: usize, lo: usize, hi: usize, kth: usize): void {
  while (hi - lo > 1) {
    const r = hi - 1;
    const m = lo + ((r - lo) >> 1);
    if (before(dist, idx, m, lo)) swap(dist, idx, m, lo);
    if (before(dist, idx, r, lo)) swap(dist, idx, r, lo);
    if (before(dist, idx, r, m)) swap(dist, idx, r, m);
    swap(dist, idx, m, r);
    let store_ = lo;
    for (let e = lo; e < r; e++) {
      if (before(dist, idx, e, r)) {
        swap(dist, idx, e, store_);
        store_++;
      }
    }
    swap(dist, idx, store_, r);
    if (store_ == kth) return;
    if (store_ < kth) lo = store_ + 1;
    else hi = store_;
  }
}
