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
  const one = f64x2.splat(1);
  for (let g = g0; g < g1; g++) {
    const t0 = min(n, g * groupSize);
    const t1 = min(n, (g + 1) * groupSize);
    if (t0 >= t1) break;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    let z0 = Infinity;
    let z1 = -Infinity;
    for (let t = t0; t < t1; t++) {
      const p = y + <usize>load<i32>(order + ((<usize>t) << 2)) * 24;
      const px = load<f64>(p);
      const py = load<f64>(p + 8);
      const pz = load<f64>(p + 16);
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
      if (pz < z0) z0 = pz;
      if (pz > z1) z1 = pz;
    }
    // The box as lanes (x, y) and (z, z), distances per axis without branches, as in repulsion2d.
    const lo = f64x2.replace_lane(f64x2.splat(x0), 1, y0);
    const hi = f64x2.replace_lane(f64x2.splat(x1), 1, y1);
    const loZ = f64x2.splat(z0);
    const hiZ = f64x2.splat(z1);
    const zero = f64x2.splat(0);
    let end: usize = 0;
    let node = 0;
    while (node < size) {
      const b = nodes + <usize>node * 48;
      const c = v128.load(b);
      const cz = v128.load(b + 16); // (z, squared side)
      const e = f64x2.pmax(f64x2.pmax(f64x2.sub(lo, c), f64x2.sub(c, hi)), zero);
      const ez = f64x2.pmax(f64x2.pmax(f64x2.sub(loZ, cz), f64x2.sub(cz, hiZ)), zero);
      const e2 = f64x2.mul(e, e);
      const ez2 = f64x2.mul(ez, ez);
      const d2 = f64x2.extract_lane(e2, 0) + f64x2.extract_lane(e2, 1) + f64x2.extract_lane(ez2, 0);
      const accept = f64x2.extract_lane(cz, 1) < theta2 * d2;
      // The cell is written either way and kept only when accepted (no branch to mispredict).
      const at = cells + end;
      v128.store(at, c);
      store<f64>(at + 16, f64x2.extract_lane(cz, 0));
      store<f64>(at + 24, load<f64>(b + 32));
      end += select<usize>(32, 0, accept);
      node = select<i32>(<i32>load<f64>(b + 40), node + 1, accept);
    }
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
        const q = f64x2.add(
          f64x2.add(f64x2.add(one, f64x2.mul(dx, dx)), f64x2.mul(dy, dy)),
          f64x2.mul(dz, dz),
        );
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
}
