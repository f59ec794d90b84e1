/**
 * Random-projection trees used to seed NN-descent with good candidates (as pynndescent does, after
 * Dasgupta & Freund 2008): each node splits its points by the hyperplane equidistant from two randomly
 * chosen members, until a leaf holds at most `leafSize` points. Points that share a leaf are likely to be
 * near each other, so every pair within a leaf is offered to both points' heaps (nn-descent-steps.ts).
 */
import { type Rng, randomInt } from '../rng.js';

/** Squared Euclidean distance between rows a and b, accumulated in float64. */
export function squaredDistance(data: Float32Array, d: number, a: number, b: number): number {
  const oa = a * d;
  const ob = b * d;
  let s = 0;
  for (let c = 0; c < d; c++) {
    const t = data[oa + c] - data[ob + c];
    s += t * t;
  }
  return s;
}

/**
 * Builds one tree over all n points and returns its leaves as (start, end) ranges into `order`, a
 * permutation of 0..n-1 that the tree partitions in place.
 */
export function buildRpTree(
  data: Float32Array,
  n: number,
  d: number,
  leafSize: number,
  rng: Rng,
): { order: Int32Array; leaves: Int32Array } {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const side = new Uint8Array(n);
  const normal = new Float64Array(d);
  const leaves: number[] = [];
  const stack: number[] = [0, n];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    const size = end - start;
    if (size <= leafSize) {
      leaves.push(start, end);
      continue;
    }
    const a = order[start + randomInt(rng, size)];
    let b = order[start + randomInt(rng, size - 1)];
    if (b === a) b = order[end - 1];
    // Hyperplane normal = x_a - x_b through the midpoint: side is the sign of normal.(x - mid).
    let offset = 0;
    for (let c = 0; c < d; c++) {
      const xa = data[a * d + c];
      const xb = data[b * d + c];
      normal[c] = xa - xb;
      offset -= normal[c] * (xa + xb) * 0.5;
    }
    let left = 0;
    for (let p = start; p < end; p++) {
      const row = order[p] * d;
      let margin = offset;
      for (let c = 0; c < d; c++) margin += normal[c] * data[row + c];
      // Points on the plane (e.g. duplicates) go to a random side, as in pynndescent.
      const s = margin > 0 ? 0 : margin < 0 ? 1 : rng() < 0.5 ? 0 : 1;
      side[p - start] = s;
      if (s === 0) left++;
    }
    if (left === 0 || left === size) {
      // Degenerate split (all points identical along the normal): halve the range as it stands.
      const mid = start + (size >> 1);
      stack.push(start, mid, mid, end);
      continue;
    }
    // Stable in-place partition via a scratch copy of this range.
    const scratch = order.slice(start, end);
    let li = start;
    let ri = start + left;
    for (let p = 0; p < size; p++) {
      if (side[p] === 0) order[li++] = scratch[p];
      else order[ri++] = scratch[p];
    }
    stack.push(start, start + left, start + left, end);
  }
  return { order, leaves: Int32Array.from(leaves) };
}
