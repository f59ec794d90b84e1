// AssemblyScript source of wasm/nn-descent.wasm (built by `npm run build:wasm`).
//
// NN-descent's apply step (src/reduce/knn/nn-descent-apply.ts): offers buffered candidate updates
// (row, neighbour, squared distance) to the per-row max-heaps of src/reduce/knn/neighbor-heap.ts, as its
// `heapPush` does, step for step: reject when not closer than the row's root, reject a neighbour the
// row already holds, else replace the root and sift it down. The duplicate check, the costly part
// (nearly every update passes the distance test and most are already held), compares four indices
// at a time. The module imports a shared memory (src/reduce/wasm-arena.ts) that holds the heap and
// each thread's updates; all arguments are byte offsets into it. The heap's distances are f32 and its
// thresholds f64, as in the TypeScript; f32 comparisons give the same answers as the TypeScript's
// comparisons of the same values as f64, so the heaps agree bit for bit.

export function applyUpdates(
  rows: usize,
  cols: usize,
  dists: usize,
  count: i32,
  indices: usize,
  distances: usize,
  flags: usize,
  thresholds: usize,
  k: i32,
): i32 {
  let updates = 0;
  const whole = k & ~3;
  for (let u = 0; u < count; u++) {
    const at = (<usize>u) << 2;
    const row = <usize>load<i32>(rows + at);
    const dist = load<f32>(dists + at);
    if (!(<f64>dist < load<f64>(thresholds + (row << 3)))) continue;
    const index = load<i32>(cols + at);
    const base = row * <usize>k;
    const rowIndices = indices + (base << 2);
    const needle = i32x4.splat(index);
    let held = false;
    let j = 0;
    for (; j < whole; j += 4) {
      if (v128.any_true(i32x4.eq(v128.load(rowIndices + ((<usize>j) << 2)), needle))) {
        held = true;
        break;
      }
    }
    if (!held) {
      for (; j < k; j++) {
        if (load<i32>(rowIndices + ((<usize>j) << 2)) === index) {
          held = true;
          break;
        }
      }
    }
    if (held) continue;
    // Replace the root (the farthest) and sift it down, as neighbor-heap.ts's siftDownFromRoot.
    const rowDists = distances + (base << 2);
    const rowFlags = flags + base;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= k) break;
      const right = left + 1;
      let swap = left;
      if (
        right < k &&
        load<f32>(rowDists + ((<usize>right) << 2)) > load<f32>(rowDists + ((<usize>left) << 2))
      ) {
        swap = right;
      }
      const swapDist = load<f32>(rowDists + ((<usize>swap) << 2));
      if (swapDist <= dist) break;
      store<f32>(rowDists + ((<usize>i) << 2), swapDist);
      store<i32>(rowIndices + ((<usize>i) << 2), load<i32>(rowIndices + ((<usize>swap) << 2)));
      store<u8>(rowFlags + <usize>i, load<u8>(rowFlags + <usize>swap));
      i = swap;
    }
    store<f32>(rowDists + ((<usize>i) << 2), dist);
    store<i32>(rowIndices + ((<usize>i) << 2), index);
    store<u8>(rowFlags + <usize>i, 1);
    store<f64>(thresholds + (row << 3), <f64>load<f32>(rowDists));
    updates++;
  }
  return updates;
}
