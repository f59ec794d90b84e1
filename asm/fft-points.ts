// AssemblyScript source of wasm/fft-points.wasm (built by `npm run build:wasm`).
//
// The point side of t-SNE's FFT-interpolated repulsion (src/reduce/tsne/gradient-fft.ts): spreading
// every point's charges onto the 3 x 3 interpolation nodes of its box, and gathering the convolved
// potentials back into forces. Each point's box and Lagrange weights are computed where they are used,
// with the TypeScript's operations in its order, so the grids and forces agree bit for bit.
// The module imports a shared memory (src/reduce/tsne/fft-points.ts) that holds the grids, and, for
// the parallel engine, the positions and forces too; every thread's instance works on them in place.
// All pointer arguments are byte offsets into that memory. Positions and forces are n x 2 f64; grids are
// m x m f64, row-major (row: y node, column: x node).

// A box's weights for its three nodes along one axis, at `w` (3 f64); returns the box.
@inline
function axisWeights(v: f64, lo: f64, inv: f64, nBoxes: i32, w: usize): i32 {
  const u = (v - lo) * inv;
  const f = Math.floor(u);
  // The maximum lands on the upper edge of the last box (clamped as f64: no out-of-range conversion).
  const b: f64 = f >= <f64>nBoxes ? <f64>(nBoxes - 1) : f > 0 ? f : 0;
  // Position in node units: the nodes sit at t = 0.5, 1.5, 2.5 within the box.
  const t = (u - b) * 3;
  store<f64>(w, 0.5 * (t - 1.5) * (t - 2.5));
  store<f64>(w, -(t - 0.5) * (t - 2.5), 8);
  store<f64>(w, 0.5 * (t - 0.5) * (t - 1.5), 16);
  return <i32>b;
}

// Zeroes grid (re, im), then adds the charges of points [0, n): grid 0 (1, x), grid 1 (y, |y|^2).
// `scratch`: 48 bytes for the weights.
export function spread(
  y: usize,
  n: i32,
  lo: f64,
  inv: f64,
  nBoxes: i32,
  m: i32,
  re: usize,
  im: usize,
  grid: i32,
  scratch: usize,
): void {
  const cells = (<usize>m * <usize>m) << 3;
  memory.fill(re, 0, cells);
  memory.fill(im, 0, cells);
  const wx = scratch;
  const wy = scratch + 24;
  for (let i = 0; i < n; i++) {
    const px = load<f64>(y + ((<usize>i) << 4));
    const py = load<f64>(y + ((<usize>i) << 4), 8);
    const col0 = 3 * axisWeights(px, lo, inv, nBoxes, wx);
    const row0 = 3 * axisWeights(py, lo, inv, nBoxes, wy);
    const cRe: f64 = grid == 0 ? 1 : py;
    const cIm: f64 = grid == 0 ? px : px * px + py * py;
    for (let a = 0; a < 3; a++) {
      const rowBase = (<usize>((row0 + a) * m + col0)) << 3;
      const wa = load<f64>(wy + ((<usize>a) << 3));
      for (let b = 0; b < 3; b++) {
        const w = wa * load<f64>(wx + ((<usize>b) << 3));
        const g = rowBase + ((<usize>b) << 3);
        store<f64>(re + g, load<f64>(re + g) + w * cRe);
        store<f64>(im + g, load<f64>(im + g) + w * cIm);
      }
    }
  }
}

// Forces of points [from, to) into `out` and each one's share of Z into `z` (n f64), from the
// potentials in grids a (aRe, aIm) and b (bRe, bIm). `scratch`: 48 bytes for the weights.
export function gather(
  y: usize,
  from: i32,
  to: i32,
  lo: f64,
  inv: f64,
  nBoxes: i32,
  m: i32,
  aRe: usize,
  aIm: usize,
  bRe: usize,
  bIm: usize,
  out: usize,
  z: usize,
  scratch: usize,
): void {
  const wx = scratch;
  const wy = scratch + 24;
  for (let i = from; i < to; i++) {
    const px = load<f64>(y + ((<usize>i) << 4));
    const py = load<f64>(y + ((<usize>i) << 4), 8);
    const col0 = 3 * axisWeights(px, lo, inv, nBoxes, wx);
    const row0 = 3 * axisWeights(py, lo, inv, nBoxes, wy);
    let phi1: f64 = 0;
    let phi2: f64 = 0;
    let phi3: f64 = 0;
    let phi4: f64 = 0;
    for (let a = 0; a < 3; a++) {
      const rowBase = (<usize>((row0 + a) * m + col0)) << 3;
      const wa = load<f64>(wy + ((<usize>a) << 3));
      for (let b = 0; b < 3; b++) {
        const w = wa * load<f64>(wx + ((<usize>b) << 3));
        const g = rowBase + ((<usize>b) << 3);
        phi1 += w * load<f64>(aRe + g);
        phi2 += w * load<f64>(aIm + g);
        phi3 += w * load<f64>(bRe + g);
        phi4 += w * load<f64>(bIm + g);
      }
    }
    // w_ii = 1 is in the sum; take it out.
    store<f64>(z + ((<usize>i) << 3), (1 + px * px + py * py) * phi1 - 2 * (px * phi2 + py * phi3) + phi4 - 1);
    store<f64>(out + ((<usize>i) << 4), px * phi1 - phi2);
    store<f64>(out + ((<usize>i) << 4), py * phi1 - phi3, 8);
  }
}
