// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, in the order state, draw, ui.
// Draws a frame: marker coverage masks composited into one ImageData (fast on software-rendered canvases),
// 3D depth order and cueing, rings, the axis gizmo, and the screen grid that finds the hovered point.
// No backslashes in this part: a plain template literal (the other parts use String.raw for their regexes).
export const CLIENT_DRAW = `
  // ---- marker masks: the pixel coverage of each shape at each size, measured once on a tiny canvas ----
  // Points are then composited in JavaScript into one ImageData per frame. One canvas drawImage
  // call per point made a 70k-point frame far too slow on software-rendered canvases (no GPU);
  // blending a few dozen pixels per point in a typed array is far cheaper.
  var masks = {};
  function coverage(c, size) {
    var a = c.getImageData(0, 0, size, size).data, off = [], cov = [], half = (size - 1) / 2;
    for (var y = 0; y < size; y++) for (var x = 0; x < size; x++) {
      var v = a[(y * size + x) * 4 + 3];
      if (v > 0) { off.push(x - half, y - half); cov.push(v / 255); }
    }
    return { off: Int16Array.from(off), cov: Float32Array.from(cov) };
  }
  /** Mask of shape with radius level/4 device pixels: fill coverage and a thin rim's coverage. */
  function mask(shape, level) {
    var byShape = masks[shape] || (masks[shape] = []);
    if (byShape[level]) return byShape[level];
    var rDev = Math.max(0.5, level / 4), half = Math.ceil(rDev * 1.7) + 1, size = 2 * half + 1;
    var c = document.createElement('canvas');
    c.width = c.height = size;
    var g = c.getContext('2d');
    tracePath(g, shape, half + 0.5, half + 0.5, rDev);
    g.fill();
    var fill = coverage(g, size);
    g.clearRect(0, 0, size, size);
    g.lineWidth = 0.8 * dpr;
    g.stroke();
    var rim = coverage(g, size);
    return (byShape[level] = { off: fill.off, cov: fill.cov, rimOff: rim.off, rimCov: rim.cov });
  }
  function tracePath(c, shape, cx, cy, r) {
    var poly = D.shapes[shape];
    c.beginPath();
    if (!poly) { c.arc(cx, cy, r, 0, 2 * Math.PI); return; }
    c.moveTo(cx + poly[0] * r, cy + poly[1] * r);
    for (var j = 2; j < poly.length; j += 2) c.lineTo(cx + poly[j] * r, cy + poly[j + 1] * r);
    c.closePath();
  }
  function pointRadius() { return baseR * sizeFactor * Math.min(3, Math.pow(zoomLevel, 0.35)); }
  function hexRgb(h) { return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]; }
  var frameImg = null;
  /** Blends coverage list (off, cov) at device pixel (X, Y) with colour (r, g, b) and opacity alpha. */
  function blit(px, cw, ch, off, cov, X, Y, r, g, b, alpha) {
    var x0 = Math.floor(X), y0 = Math.floor(Y);
    for (var t = 0, e = cov.length; t < e; t++) {
      var x = x0 + off[2 * t], y = y0 + off[2 * t + 1];
      if (x < 0 || y < 0 || x >= cw || y >= ch) continue;
      var o = (y * cw + x) << 2, a = cov[t] * alpha;
      px[o] += (r - px[o]) * a;
      px[o + 1] += (g - px[o + 1]) * a;
      px[o + 2] += (b - px[o + 2]) * a;
    }
  }

  // ---- drawing ----
  var frame = 0;
  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }
  var drawOrder = new Uint32Array(n);
  function depthOrder() {
    // Painter's order for 3D: 256 depth buckets, far first (a counting sort, O(n) per frame).
    var B = 256, cnt = new Uint32Array(B + 1), i, b, mn = Infinity, mx = -Infinity;
    for (i = 0; i < n; i++) { if (sd[i] < mn) mn = sd[i]; if (sd[i] > mx) mx = sd[i]; }
    var sc = mx > mn ? (B - 1) / (mx - mn) : 0;
    var bk = new Uint8Array(n);
    for (i = 0; i < n; i++) { b = ((sd[i] - mn) * sc) | 0; bk[i] = b; cnt[b + 1]++; }
    for (b = 0; b < B; b++) cnt[b + 1] += cnt[b];
    for (var j = 0; j < n; j++) { i = order2d[j]; drawOrder[cnt[bk[i]]++] = i; }
    depthMin = mn; depthSpan = mx - mn;
  }
  var depthMin = 0, depthSpan = 0;
  var lastDrawMs = 0;
  function draw() {
    frame = 0;
    var t0 = performance.now();
    project();
    gridDirty = true;
    var cw = canvas.width, ch = canvas.height;
    if (!frameImg || frameImg.width !== cw || frameImg.height !== ch) frameImg = ctx.createImageData(cw, ch);
    var px = frameImg.data;
    px.fill(255);
    var r = pointRadius(), order = order2d;
    if (dims === 3) { depthOrder(); order = drawOrder; }
    var gOf = groups.groupOf, i, j, g, m, level, shown = 0, ng = groups.names.length;
    var rgb = groups.colors.map(hexRgb), shapes = groups.shapes;
    // A selection or a search's matches (select.ts: focus) takes the place of the misclassified points.
    var emphasise = focus || highlight || groups.by === 'correct', faint = focus || highlight;
    var alphaFirst = faint ? 0.18 : baseAlpha, alphaSecond = faint ? 1 : baseAlpha;
    var baseLevel = Math.max(2, Math.round(r * dpr * 4)), margin = 4 * r * dpr + 4;
    var flat = [];
    for (g = 0; g < ng; g++) flat.push(mask(shapes[g], baseLevel));
    // Misclassified points are drawn in a second pass, on top, when they are what the user asked to see.
    for (var pass = 0; pass < (emphasise ? 2 : 1); pass++) {
      var alpha = pass === 1 ? alphaSecond : alphaFirst;
      var grow = pass === 1 && faint ? 1.3 : 1;
      for (j = 0; j < n; j++) {
        i = order[j];
        g = gOf[i];
        if (hidden[g]) continue;
        if (emphasise && (focus ? focus[i] === 1 : isWrong(i)) !== (pass === 1)) continue;
        shown++;
        var X = sx[i] * dpr, Y = sy[i] * dpr;
        if (X < -margin || Y < -margin || X > cw + margin || Y > ch + margin) continue;
        if (dims === 3 || grow !== 1) {
          level = Math.max(2, Math.round(r * dpr * 4 * grow * (dims === 3 ? sd[i] : 1)));
          m = level === baseLevel ? flat[g] : mask(shapes[g], level);
        } else m = flat[g];
        var c = rgb[g];
        // In 3D, far points are drawn fainter (depth cueing) so the front of a cloud reads as the front.
        var a = dims === 3 && depthSpan > 0 ? alpha * (0.45 + 0.55 * (sd[i] - depthMin) / depthSpan) : alpha;
        blit(px, cw, ch, m.off, m.cov, X, Y, c[0], c[1], c[2], a);
        // A thin dark rim separates highlighted points where markers are big enough to carry one.
        if (pass === 1 && faint && r >= 2.5) blit(px, cw, ch, m.rimOff, m.rimCov, X, Y, 34, 34, 34, 0.6);
      }
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.putImageData(frameImg, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (dims === 3) drawGizmo();
    ring(selected, '#111', 2.2);
    if (selected >= 0 && nbr) {
      for (j = 0; j < nbr.k; j++) ring(nbr.indices[selected * nbr.k + j], '#555', 1.2);
    }
    ring(hovered, '#000', 1.5);
    $('fs-shown').textContent = shown.toLocaleString('en-US') + ' of ' + n.toLocaleString('en-US') + ' points shown';
    lastDrawMs = performance.now() - t0;
  }
  function ring(i, color, width) {
    if (i < 0 || hidden[groups.groupOf[i]]) return;
    var r = pointRadius() * (dims === 3 ? sd[i] : 1) + 3;
    ctx.beginPath();
    ctx.arc(sx[i], sy[i], r, 0, 2 * Math.PI);
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.stroke();
  }
  function drawGizmo() {
    var cyaw = Math.cos(view.yaw), syaw = Math.sin(view.yaw), cp = Math.cos(view.pitch), sp = Math.sin(view.pitch);
    var axes = [[1, 0, 0], [0, 1, 0], [0, 0, 1]], ox = 34, oy = H - 34;
    ctx.font = '11px sans-serif';
    ctx.lineWidth = 1.5;
    for (var a = 0; a < 3; a++) {
      var x = axes[a][0], y = axes[a][1], z = axes[a][2];
      var x1 = cyaw * x + syaw * z, z1 = -syaw * x + cyaw * z, y2 = cp * y - sp * z1;
      ctx.strokeStyle = ctx.fillStyle = ['#c0392b', '#27ae60', '#2e6fd1'][a];
      ctx.beginPath(); ctx.moveTo(ox, oy); ctx.lineTo(ox + 22 * x1, oy - 22 * y2); ctx.stroke();
      ctx.fillText(String(a + 1), ox + 27 * x1 - 3, oy - 27 * y2 + 4);
    }
  }

  // ---- hover lookup: a uniform grid over screen positions, rebuilt lazily after each draw ----
  var CELL = 16, gridDirty = true, gw = 0, gh = 0, cellStart = null, cellItems = null;
  function buildGrid() {
    gw = Math.max(1, Math.ceil(W / CELL)); gh = Math.max(1, Math.ceil(H / CELL));
    var cells = gw * gh, cnt = new Int32Array(cells + 1), cellOf = new Int32Array(n), i, c;
    for (i = 0; i < n; i++) {
      var cx = Math.floor(sx[i] / CELL), cy = Math.floor(sy[i] / CELL);
      c = hidden[groups.groupOf[i]] || cx < 0 || cy < 0 || cx >= gw || cy >= gh ? -1 : cy * gw + cx;
      cellOf[i] = c;
      if (c >= 0) cnt[c + 1]++;
    }
    for (c = 0; c < cells; c++) cnt[c + 1] += cnt[c];
    cellStart = cnt.slice();
    cellItems = new Int32Array(cnt[cells]);
    for (i = 0; i < n; i++) if (cellOf[i] >= 0) cellItems[cnt[cellOf[i]]++] = i;
    gridDirty = false;
  }
  function nearest(mx, my) {
    if (gridDirty) buildGrid();
    var radius = Math.max(6, pointRadius() + 3), best = -1, bestD = radius * radius, bestDepth = -Infinity;
    var x0 = Math.max(0, Math.floor((mx - radius) / CELL)), x1 = Math.min(gw - 1, Math.floor((mx + radius) / CELL));
    var y0 = Math.max(0, Math.floor((my - radius) / CELL)), y1 = Math.min(gh - 1, Math.floor((my + radius) / CELL));
    for (var cy = y0; cy <= y1; cy++) for (var cx = x0; cx <= x1; cx++) {
      var c = cy * gw + cx;
      for (var t = cellStart[c]; t < cellStart[c + 1]; t++) {
        var i = cellItems[t], dx = sx[i] - mx, dy = sy[i] - my, dd = dx * dx + dy * dy;
        // In 3D, among points under the cursor prefer the one nearest the camera.
        if (dd < bestD - 1e-9 || (dims === 3 && dd <= bestD && sd[i] > bestDepth)) { best = i; bestD = Math.max(dd, 4); bestDepth = sd[i]; }
      }
    }
    return best;
  }

`;
