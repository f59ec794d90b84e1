// AssemblyScript source of wasm/barnes-hut.wasm (built by `npm run build:wasm`).
//
// The grouped Barnes-Hut repulsion in 2D (src/reduce/tsne/gradient-bh-grouped.ts; 3D below), operation for
// operation: one walk of the flattened tree per group of `groupSize` consecutive points of the
// tree's order, accepting a cell for the whole group, then the group's points against the accepted
// cells two at a time, one point per f64x2 lane. Each lane computes exactly the TypeScript's
// arithmetic, so forces and Z shares agree bit for bit.
// All arguments are byte offsets into this module's memory, laid out by
// src/reduce/tsne/wasm-barnes-hut.ts: `nodes` holds 5 f64 per node (centre of mass x, y, squared
// side or -1 for a leaf, count, skip), `order` the points in tree order (i32), `y` the positions,
// `cells` scratch for 3 f64 per accepted cell; forces go to out[2 i], Z shares to zPoint[i].

export function repulsion2d(
  nodes: usize,
  size: i32,
  order: usize,
  y: usize,
  n: i32,
  theta2: f64,
  groupSize: i32,
  g0: i32,
  g1: i32,
  cells: usize,
  out: usize,
  zPoint: usize,
): void {
  const one = f64x2.splat(1);
  for (let g = g0; g < g1; g++) {
    const t0 = min(n, g * groupSize);
    const t1 = min(n, (g + 1) * groupSize);
    if (t0 >= t1) break;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let t = t0; t < t1; t++) {
      const p = y + ((<usize>load<i32>(order + ((<usize>t) << 2))) << 4);
      const px = load<f64>(p);
      const py = load<f64>(p + 8);
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
    }
    // The box as two lanes (x, y): the distance from a centre to it per axis is
    // pmax(pmax(lo - c, c - hi), 0), the TypeScript's ternaries without their unpredictable branches
    // (pmax is a plain maximum: a zero may come out as -0, which the square drops).
    const lo = f64x2.replace_lane(f64x2.splat(x0), 1, y0);
    const hi = f64x2.replace_lane(f64x2.splat(x1), 1, y1);
    const zero = f64x2.splat(0);
    let end: usize = 0;
    let node = 0;
    while (node < size) {
      const b = nodes + (<usize>node) * 40;
      const c = v128.load(b);
      const e = f64x2.pmax(f64x2.pmax(f64x2.sub(lo, c), f64x2.sub(c, hi)), zero);
      const e2 = f64x2.mul(e, e);
      const accept = load<f64>(b + 16) < theta2 * (f64x2.extract_lane(e2, 0) + f64x2.extract_lane(e2, 1));
      // The cell is written either way and kept only when accepted (no branch to mispredict).
      const at = cells + end;
      v128.store(at, c);
      store<f64>(at + 16, load<f64>(b + 24));
      end += select<usize>(24, 0, accept);
      node = select<i32>(<i32>load<f64>(b + 32), node + 1, accept);
    }
    let t = t0;
    for (; t + 1 < t1; t += 2) {
      const i = <usize>load<i32>(order + ((<usize>t) << 2));
      const j = <usize>load<i32>(order + ((<usize>(t + 1)) << 2));
      const pa = y + (i << 4);
      const pb = y + (j << 4);
      // Lane 0: point i, lane 1: point j.
      const px = f64x2.replace_lane(f64x2.splat(load<f64>(pa)), 1, load<f64>(pb));
      const py = f64x2.replace_lane(f64x2.splat(load<f64>(pa + 8)), 1, load<f64>(pb + 8));
      let fx = f64x2.splat(0);
      let fy = f64x2.splat(0);
      let z = f64x2.splat(-1); // each point's own leaf, met at distance 0
      for (let c: usize = 0; c < end; c += 24) {
        const at = cells + c;
        const dx = f64x2.sub(px, f64x2.splat(load<f64>(at)));
        const dy = f64x2.sub(py, f64x2.splat(load<f64>(at + 8)));
        const w = f64x2.div(one, f64x2.add(f64x2.add(one, f64x2.mul(dx, dx)), f64x2.mul(dy, dy)));
        const cw = f64x2.mul(f64x2.splat(load<f64>(at + 16)), w);
        z = f64x2.add(z, cw);
        const cw2 = f64x2.mul(cw, w);
        fx = f64x2.add(fx, f64x2.mul(cw2, dx));
        fy = f64x2.add(fy, f64x2.mul(cw2, dy));
      }
      store<f64>(out + (i << 4), f64x2.extract_lane(fx, 0));
      store<f64>(out + (i << 4) + 8, f64x2.extract_lane(fy, 0));
      store<f64>(zPoint + (i << 3), f64x2.extract_lane(z, 0));
      store<f64>(out + (j << 4), f64x2.extract_lane(fx, 1));
      store<f64>(out + (j << 4) + 8, f64x2.extract_lane(fy, 1));
      store<f64>(zPoint + (j << 3), f64x2.extract_lane(z, 1));
    }
    if (t < t1) {
      const i = <usize>load<i32>(order + ((<usize>t) << 2));
      const ax = load<f64>(y + (i << 4));
      const ay = load<f64>(y + (i << 4) + 8);
      let fx: f64 = 0;
      let fy: f64 = 0;
      let z: f64 = -1;
      for (let c: usize = 0; c < end; c += 24) {
        const at = cells + c;
        const dx = ax - load<f64>(at);
        const dy = ay - load<f64>(at + 8);
        const w = 1 / (1 + dx * dx + dy * dy);
        const cw = load<f64>(at + 16) * w;
        z += cw;
        const cw2 = cw * w;
        fx += cw2 * dx;
        fy += cw2 * dy;
      }
      store<f64>(out + (i << 4), fx);
      store<f64>(out + (i << 4) + 8, fy);
      store<f64>(zPoint + (i << 3), z);
    }
  }
}

// The grouped repulsion in 3D (src/reduce/tsne/gradient-bh-grouped-3d.ts), operation for operation,
// as repulsion2d: `nodes` holds 6 f64 per node (centre of mass x, y, z, squared side or -1 for a leaf,
// count, skip), `cells` 4 f64 per accepted cell; forces go to out[3 i], Z shares to zPoint[i].
// Groups are walked two at a time, interleaved: one walk is a chain of dependent loads and compares
// (each step's node comes from the last), so two independent chains keep the processor busier. Each
// group's walk and list are its own, as when walked alone; the second list starts after room for
// size + 1 cells (`cells` must hold twice that).
export function repulsion3d(
  nodes: usize,
  size: i32,
  order: usize,
  y: usize,
  n: i32,
  theta2: f64,
  groupSize: i32,
  g0: i32,
  g1: i32,
  cells: usize,
  out: usize,
  zPoint: usize,
): void {
  const cellsB = cells + (<usize>size + 1) * 32;
  const zero = f64x2.splat(0);
  for (let g = g0; g < g1; g += 2) {
    const t0 = min(n, g * groupSize);
    const t1 = min(n, (g + 1) * groupSize);
    if (t0 >= t1) break;
    const u1 = g + 1 < g1 ? min(n, (g + 2) * groupSize) : t1;
    // The two groups' boxes as lanes (x, y) and (z, z), pmin/pmax being the TypeScript's comparisons.
    let loA = f64x2.splat(Infinity);
    let hiA = f64x2.splat(-Infinity);
    let loZA = f64x2.splat(Infinity);
    let hiZA = f64x2.splat(-Infinity);
    for (let t = t0; t < t1; t++) {
      const p = y + <usize>load<i32>(order + ((<usize>t) << 2)) * 24;
      const q = v128.load(p);
      const qz = f64x2.splat(load<f64>(p + 16));
      loA = f64x2.pmin(loA, q);
      hiA = f64x2.pmax(hiA, q);
      loZA = f64x2.pmin(loZA, qz);
      hiZA = f64x2.pmax(hiZA, qz);
    }
    let loB = f64x2.splat(Infinity);
    let hiB = f64x2.splat(-Infinity);
    let loZB = f64x2.splat(Infinity);
    let hiZB = f64x2.splat(-Infinity);
    for (let t = t1; t < u1; t++) {
      const p = y + <usize>load<i32>(order + ((<usize>t) << 2)) * 24;
      const q = v128.load(p);
      const qz = f64x2.splat(load<f64>(p + 16));
      loB = f64x2.pmin(loB, q);
      hiB = f64x2.pmax(hiB, q);
      loZB = f64x2.pmin(loZB, qz);
      hiZB = f64x2.pmax(hiZB, qz);
    }
    let endA: usize = 0;
    let endB: usize = 0;
    let nodeA = 0;
    let nodeB = u1 > t1 ? 0 : size;
    while (nodeA < size || nodeB < size) {
      // A finished walk idles on node 0 of a zero-length list, without writing: its steps are
      // computed but their results dropped (`live`), which keeps the loop free of branches.
      const liveA = nodeA < size;
      const liveB = nodeB < size;
      const bA = nodes + <usize>select<i32>(nodeA, 0, liveA) * 48;
      const bB = nodes + <usize>select<i32>(nodeB, 0, liveB) * 48;
      const cA = v128.load(bA);
      const czA = v128.load(bA + 16); // (z, squared side)
      const cB = v128.load(bB);
      const czB = v128.load(bB + 16);
      const eA = f64x2.pmax(f64x2.pmax(f64x2.sub(loA, cA), f64x2.sub(cA, hiA)), zero);
      const ezA = f64x2.pmax(f64x2.pmax(f64x2.sub(loZA, czA), f64x2.sub(czA, hiZA)), zero);
      const eB = f64x2.pmax(f64x2.pmax(f64x2.sub(loB, cB), f64x2.sub(cB, hiB)), zero);
      const ezB = f64x2.pmax(f64x2.pmax(f64x2.sub(loZB, czB), f64x2.sub(czB, hiZB)), zero);
      const e2A = f64x2.mul(eA, eA);
      const ez2A = f64x2.mul(ezA, ezA);
      const e2B = f64x2.mul(eB, eB);
      const ez2B = f64x2.mul(ezB, ezB);
      const dA = f64x2.extract_lane(e2A, 0) + f64x2.extract_lane(e2A, 1) + f64x2.extract_lane(ez2A, 0);
      const dB = f64x2.extract_lane(e2B, 0) + f64x2.extract_lane(e2B, 1) + f64x2.extract_lane(ez2B, 0);
      const acceptA = f64x2.extract_lane(czA, 1) < theta2 * dA;
      const acceptB = f64x2.extract_lane(czB, 1) < theta2 * dB;
      // Cells are written either way and kept only when accepted (no branch to mispredict).
      const atA = cells + endA;
      v128.store(atA, cA);
      store<f64>(atA + 16, f64x2.extract_lane(czA, 0));
      store<f64>(atA + 24, load<f64>(bA + 32));
      const atB = cellsB + endB;
      v128.store(atB, cB);
      store<f64>(atB + 16, f64x2.extract_lane(czB, 0));
      store<f64>(atB + 24, load<f64>(bB + 32));
      endA += select<usize>(32, 0, acceptA & liveA);
      endB += select<usize>(32, 0, acceptB & liveB);
      nodeA = select<i32>(select<i32>(<i32>load<f64>(bA + 40), nodeA + 1, acceptA), size, liveA);
      nodeB = select<i32>(select<i32>(<i32>load<f64>(bB + 40), nodeB + 1, acceptB), size, liveB);
    }
    pairs3d(cells, endA, t0, t1, order, y, out, zPoint);
    if (u1 > t1) pairs3d(cellsB, endB, t1, u1, order, y, out, zPoint);
  }
}

// Points order[t0 .. t1) against the packed list of `end` bytes at `cells`, two per pass (one per
// f64x2 lane), then an odd last one alone.
function pairs3d(
  cells: usize,
  end: usize,
  t0: i32,
  t1: i32,
  order: usize,
  y: usize,
  out: usize,
  zPoint: usize,
): void {
  const one = f64x2.splat(1);
  let t = t0;
  for (; t + 1 < t1; t += 2) {
    const i = <usize>load<i32>(order + ((<usize>t) << 2));
    const j = <usize>load<i32>(order + ((<usize>(t + 1)) << 2));
    const pa = y + i * 24;
    const pb = y + j * 24;
    // Lane 0: point i, lane 1: point j.
    const px = f64x2.replace_lane(f64x2.splat(load<f64>(pa)), 1, load<f64>(pb));
    const py = f64x2.replace_lane(f64x2.splat(load<f64>(pa + 8)), 1, load<f64>(pb + 8));
    const pz = f64x2.replace_lane(f64x2.splat(load<f64>(pa + 16)), 1, load<f64>(pb + 16));
    let fx = f64x2.splat(0);
    let fy = f64x2.splat(0);
    let fz = f64x2.splat(0);
    let z = f64x2.splat(-1); // each point's own leaf, met at distance 0
    for (let c: usize = 0; c < end; c += 32) {
      const at = cells + c;
      const dx = f64x2.sub(px, f64x2.splat(load<f64>(at)));
      const dy = f64x2.sub(py, f64x2.splat(load<f64>(at + 8)));
      const dz = f64x2.sub(pz, f64x2.splat(load<f64>(at + 16)));
      const q = f64x2.add(f64x2.add(f64x2.add(one, f64x2.mul(dx, dx)), f64x2.mul(dy, dy)), f64x2.mul(dz, dz));
      const w = f64x2.div(one, q);
      const cw = f64x2.mul(f64x2.splat(load<f64>(at + 24)), w);
      z = f64x2.add(z, cw);
      const cw2 = f64x2.mul(cw, w);
      fx = f64x2.add(fx, f64x2.mul(cw2, dx));
      fy = f64x2.add(fy, f64x2.mul(cw2, dy));
      fz = f64x2.add(fz, f64x2.mul(cw2, dz));
    }
    store<f64>(out + i * 24, f64x2.extract_lane(fx, 0));
    store<f64>(out + i * 24 + 8, f64x2.extract_lane(fy, 0));
    store<f64>(out + i * 24 + 16, f64x2.extract_lane(fz, 0));
    store<f64>(zPoint + (i << 3), f64x2.extract_lane(z, 0));
    store<f64>(out + j * 24, f64x2.extract_lane(fx, 1));
    store<f64>(out + j * 24 + 8, f64x2.extract_lane(fy, 1));
    store<f64>(out + j * 24 + 16, f64x2.extract_lane(fz, 1));
    store<f64>(zPoint + (j << 3), f64x2.extract_lane(z, 1));
  }
  if (t < t1) {
    const i = <usize>load<i32>(order + ((<usize>t) << 2));
    const ax = load<f64>(y + i * 24);
    const ay = load<f64>(y + i * 24 + 8);
    const az = load<f64>(y + i * 24 + 16);
    let fx: f64 = 0;
    let fy: f64 = 0;
    let fz: f64 = 0;
    let z: f64 = -1;
    for (let c: usize = 0; c < end; c += 32) {
      const at = cells + c;
      const dx = ax - load<f64>(at);
      const dy = ay - load<f64>(at + 8);
      const dz = az - load<f64>(at + 16);
      const w = 1 / (1 + dx * dx + dy * dy + dz * dz);
      const cw = load<f64>(at + 24) * w;
      z += cw;
      const cw2 = cw * w;
      fx += cw2 * dx;
      fy += cw2 * dy;
      fz += cw2 * dz;
    }
    store<f64>(out + i * 24, fx);
    store<f64>(out + i * 24 + 8, fy);
    store<f64>(out + i * 24 + 16, fz);
    store<f64>(zPoint + (i << 3), z);
  }
}
