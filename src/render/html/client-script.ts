// The interactive page's script, inlined into every page (no network, works from file://).
// Plain ES2017 in a string: the page has no build step and no dependencies. It reads
// <script id="featscope-data">, draws with a 2D canvas (marker coverage masks composited into one ImageData per frame, a depth
// bucket sort in 3D) and finds the hovered point with a uniform screen grid. Names from the data
// are only ever set through textContent / attributes, never parsed as HTML.
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('featscope-data').textContent);
  var n = D.n;
  var dims = D.dims;
  var k = D.k;
  var C = D.classes.length;
  var P = new Float32Array(D.coords);
  var labels = D.labels;
  var top = D.top;
  var conf = D.conf;
  var thumbs = D.thumbs || null;
  var nbr = D.neighbors || null;
  var hasLabels = false;
  for (var li = 0; li < n; li++) if (labels[li] >= 0) { hasLabels = true; break; }
  var hasPreds = k > 0;

  function $(id) { return document.getElementById(id); }
  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function thumbOf(i) {
    var t = thumbs ? thumbs[i] : null;
    // Only inline raster data URIs become <img> sources; anything else is treated as absent.
    return typeof t === 'string' && /^data:image\/(webp|png|jpeg|gif);base64,[A-Za-z0-9+\/=]*$/.test(t) ? t : null;
  }
  function pct(v) { return (Math.round(v * 1000) / 10).toFixed(1) + '%'; }
  function className(id) { return id >= 0 && id < C ? D.classes[id] : 'unknown'; }

  // ---- groups (mirrors src/render/groups.ts) ----
  function effective(want) {
    if (want === 'correct' && hasLabels && hasPreds) return 'correct';
    if (want === 'prediction' && hasPreds) return 'prediction';
    if (hasLabels) return 'label';
    return hasPreds ? 'prediction' : 'label';
  }
  function buildGroups(want) {
    var by = effective(want);
    var groupOf = new Int32Array(n);
    var names, colors, shapes, i;
    if (by === 'correct') {
      names = ['correct', 'misclassified', 'unlabelled'];
      colors = D.correctColors.slice();
      shapes = ['circle', 'x', 'square'];
      for (i = 0; i < n; i++) groupOf[i] = labels[i] < 0 ? 2 : top[i * k] === labels[i] ? 0 : 1;
    } else if (by === 'prediction' && hasPreds) {
      names = D.classes.slice();
      colors = D.palette.slice();
      shapes = D.markers.slice();
      for (i = 0; i < n; i++) groupOf[i] = top[i * k];
    } else if (!hasLabels) {
      names = ['points'];
      colors = [D.pointsColor];
      shapes = ['circle'];
    } else {
      names = D.classes.concat(['unlabelled']);
      colors = D.palette.concat([D.unlabelledColor]);
      shapes = D.markers.concat(['circle']);
      for (i = 0; i < n; i++) groupOf[i] = labels[i] < 0 ? C : labels[i];
    }
    var counts = new Int32Array(names.length);
    for (i = 0; i < n; i++) counts[groupOf[i]]++;
    var last = names.length - 1;
    if (names.length > 1 && names[last] === 'unlabelled' && counts[last] === 0) {
      names.pop(); colors.pop(); shapes.pop(); counts = counts.slice(0, last);
    }
    return { by: by, names: names, groupOf: groupOf, counts: counts, colors: colors, shapes: shapes };
  }
  function isWrong(i) { return hasLabels && hasPreds && labels[i] >= 0 && top[i * k] !== labels[i]; }

  // ---- state ----
  var canvas = $('fs-canvas');
  var ctx = canvas.getContext('2d');
  var wrap = $('fs-plot');
  var W = 1, H = 1, dpr = 1;
  var groups = buildGroups(D.colorBy);
  var hidden = new Uint8Array(groups.names.length);
  var highlight = false;
  var sizeFactor = 1;
  var selected = -1;
  var hovered = -1;
  var sx = new Float32Array(n), sy = new Float32Array(n), sd = new Float32Array(n);
  var baseR = Math.min(4.5, Math.max(1.7, 200 / Math.sqrt(Math.max(n, 1))));
  var baseAlpha = Math.min(0.9, Math.max(0.5, 0.9 - 0.2 * Math.log10(Math.max(n, 1000) / 1000)));

  // A fixed shuffled drawing order so no class is always painted on top (xorshift32, seed 1).
  var order2d = new Uint32Array(n);
  (function () {
    for (var i = 0; i < n; i++) order2d[i] = i;
    var s = 2463534242;
    for (var j = n - 1; j > 0; j--) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      var r = s % (j + 1), t = order2d[j]; order2d[j] = order2d[r]; order2d[r] = t;
    }
  })();

  // Data bounds, centre and radius.
  var lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (var pi = 0; pi < n; pi++) for (var d = 0; d < dims; d++) {
    var v = P[pi * dims + d];
    if (v < lo[d]) lo[d] = v;
    if (v > hi[d]) hi[d] = v;
  }
  if (n === 0) lo = [0, 0, 0], hi = [0, 0, 0];
  var centre = [0, 0, 0], extent = 1e-9;
  for (d = 0; d < dims; d++) { centre[d] = (lo[d] + hi[d]) / 2; extent = Math.max(extent, (hi[d] - lo[d]) / 2); }
  var view = {};
  function resetView() {
    if (dims === 2) { view.cx = centre[0]; view.cy = centre[1]; view.scale = (0.46 * Math.min(W, H)) / extent; }
    else { view.yaw = -0.6; view.pitch = 0.35; view.zoom = 1; view.px = 0; view.py = 0; }
  }
  var zoomLevel = 1;

  function project() {
    var i, x, y, z;
    if (dims === 2) {
      var s = view.scale, cx = view.cx, cy = view.cy, hw = W / 2, hh = H / 2;
      for (i = 0; i < n; i++) {
        sx[i] = hw + (P[2 * i] - cx) * s;
        sy[i] = hh - (P[2 * i + 1] - cy) * s;
        sd[i] = 1;
      }
      zoomLevel = (view.scale * extent) / (0.46 * Math.min(W, H));
      return;
    }
    var cyaw = Math.cos(view.yaw), syaw = Math.sin(view.yaw), cp = Math.cos(view.pitch), sp = Math.sin(view.pitch);
    var dist = 3.2, f = 1.2 * Math.min(W, H) * view.zoom;
    var ox = W / 2 + view.px, oy = H / 2 + view.py;
    for (i = 0; i < n; i++) {
      x = (P[3 * i] - centre[0]) / extent; y = (P[3 * i + 1] - centre[1]) / extent; z = (P[3 * i + 2] - centre[2]) / extent;
      var x1 = cyaw * x + syaw * z, z1 = -syaw * x + cyaw * z;
      var y2 = cp * y - sp * z1, z2 = sp * y + cp * z1;
      var depth = dist - z2;
      sx[i] = ox + (f * x1) / depth;
      sy[i] = oy - (f * y2) / depth;
      sd[i] = dist / depth;
    }
    zoomLevel = view.zoom;
  }

  // ---- marker masks: the pixel coverage of each shape at each size, measured once on a tiny canvas ----
  // Points are then composited in JavaScript into one ImageData per frame. Canvas drawImage
  // costs microseconds per call on software-rendered canvases (no GPU), which is 0.3-0.5 s for 70k
  // points; blending a few dozen pixels per point in a typed array takes a few milliseconds.
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
    var emphasise = highlight || groups.by === 'correct';
    var alphaFirst = highlight ? 0.18 : baseAlpha, alphaSecond = highlight ? 1 : baseAlpha;
    var baseLevel = Math.max(2, Math.round(r * dpr * 4)), margin = 4 * r * dpr + 4;
    var flat = [];
    for (g = 0; g < ng; g++) flat.push(mask(shapes[g], baseLevel));
    // Misclassified points are drawn in a second pass, on top, when they are what the user asked to see.
    for (var pass = 0; pass < (emphasise ? 2 : 1); pass++) {
      var alpha = pass === 1 ? alphaSecond : alphaFirst;
      var grow = pass === 1 && highlight ? 1.3 : 1;
      for (j = 0; j < n; j++) {
        i = order[j];
        g = gOf[i];
        if (hidden[g]) continue;
        if (emphasise && isWrong(i) !== (pass === 1)) continue;
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
        if (pass === 1 && highlight && r >= 2.5) blit(px, cw, ch, m.rimOff, m.rimCov, X, Y, 34, 34, 34, 0.6);
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

  // ---- tooltip ----
  var tip = $('fs-tooltip');
  function predictionLine(i) {
    if (!hasPreds) return null;
    return className(top[i * k]) + ' (' + pct(conf[i * k]) + ')';
  }
  function fillInfo(box, i, big) {
    var src = thumbOf(i);
    if (src) {
      var img = make('img', big ? 'fs-big' : 'fs-thumb');
      img.alt = D.paths[i];
      img.src = src;
      box.appendChild(img);
    } else {
      box.appendChild(make('div', 'fs-nothumb', 'no thumbnail'));
    }
    box.appendChild(make('div', 'fs-path', D.paths[i]));
    var dl = make('dl');
    function row(term, value, cls) {
      dl.appendChild(make('dt', null, term));
      dl.appendChild(make('dd', cls, value));
    }
    row('true label', labels[i] >= 0 ? className(labels[i]) : 'unknown');
    var p = predictionLine(i);
    if (p) row('predicted', p, labels[i] < 0 ? null : isWrong(i) ? 'fs-wrong' : 'fs-right');
    box.appendChild(dl);
  }
  function showTip(i, mx, my) {
    tip.textContent = '';
    fillInfo(tip, i, false);
    tip.hidden = false;
    var rect = wrap.getBoundingClientRect(), tw = tip.offsetWidth, th = tip.offsetHeight;
    var x = mx + 14, y = my + 14;
    if (x + tw > rect.width) x = mx - tw - 14;
    if (y + th > rect.height) y = Math.max(0, my - th - 14);
    tip.style.left = Math.max(0, x) + 'px';
    tip.style.top = y + 'px';
  }
  function setHover(i, mx, my) {
    if (i === hovered) { if (i >= 0) showTip(i, mx, my); return; }
    hovered = i;
    if (i >= 0) showTip(i, mx, my); else tip.hidden = true;
    canvas.style.cursor = i >= 0 ? 'pointer' : '';
    schedule();
  }

  // ---- details panel ----
  var panel = $('fs-details');
  function select(i) {
    selected = i;
    // Opening or closing the panel resizes the plot, so a tooltip placed for the old size would be wrong.
    tip.hidden = true;
    hovered = -1;
    var body = $('fs-details-body');
    body.textContent = '';
    if (i < 0) { panel.hidden = true; schedule(); return; }
    panel.hidden = false;
    fillInfo(body, i, true);
    if (hasPreds) {
      body.appendChild(make('h3', null, 'top-' + k + ' predictions'));
      var ol = make('ol', 'fs-topk');
      for (var j = 0; j < k; j++) {
        var id = top[i * k + j];
        var li = make('li', id === labels[i] ? 'fs-hit' : null);
        var bar = make('span', 'fs-bar');
        bar.style.width = Math.max(0, Math.min(100, conf[i * k + j] * 100)).toFixed(1) + '%';
        li.appendChild(bar);
        li.appendChild(make('span', 'fs-name', className(id)));
        li.appendChild(make('span', 'fs-conf', pct(conf[i * k + j])));
        ol.appendChild(li);
      }
      body.appendChild(ol);
    }
    if (nbr && nbr.k > 0) {
      body.appendChild(make('h3', null, 'nearest neighbours in feature space'));
      var grid = make('div', 'fs-neighbours');
      for (var q = 0; q < nbr.k; q++) {
        var m = nbr.indices[i * nbr.k + q];
        var b = make('button', 'fs-nb');
        b.type = 'button';
        b.title = D.paths[m] + '\n' + (labels[m] >= 0 ? className(labels[m]) : 'unknown');
        var src = thumbOf(m);
        if (src) { var im = make('img'); im.src = src; im.alt = D.paths[m]; b.appendChild(im); }
        else b.appendChild(make('span', 'fs-nothumb', String(m)));
        b.appendChild(make('span', 'fs-nb-label', labels[m] >= 0 ? className(labels[m]) : ''));
        if (isWrong(m)) b.classList.add('fs-wrong-nb');
        b.addEventListener('click', (function (target) { return function () { select(target); }; })(m));
        grid.appendChild(b);
      }
      body.appendChild(grid);
    }
    schedule();
  }
  $('fs-close').addEventListener('click', function () { select(-1); });

  // ---- legend ----
  function buildLegend() {
    var list = $('fs-legend-list');
    list.textContent = '';
    var filter = $('fs-filter').value.trim().toLowerCase();
    $('fs-filter').hidden = groups.names.length <= 12;
    for (var g = 0; g < groups.names.length; g++) {
      if (filter && groups.names[g].toLowerCase().indexOf(filter) < 0) continue;
      var li = make('li', hidden[g] ? 'fs-off' : null);
      var btn = make('button');
      btn.type = 'button';
      btn.setAttribute('aria-pressed', hidden[g] ? 'false' : 'true');
      var sw = document.createElement('canvas');
      sw.width = sw.height = Math.ceil(14 * dpr);
      sw.className = 'fs-swatch';
      var c = sw.getContext('2d');
      c.fillStyle = groups.colors[g];
      tracePath(c, groups.shapes[g], sw.width / 2, sw.height / 2, 4.2 * dpr);
      c.fill();
      btn.appendChild(sw);
      btn.appendChild(make('span', 'fs-name', groups.names[g]));
      btn.appendChild(make('span', 'fs-count', groups.counts[g].toLocaleString('en-US')));
      btn.title = 'click: hide / show · shift-click: show only this one';
      btn.addEventListener('click', (function (gg) {
        return function (e) {
          if (e.shiftKey || e.altKey) { hidden.fill(1); hidden[gg] = 0; }
          else hidden[gg] = hidden[gg] ? 0 : 1;
          buildLegend();
          schedule();
        };
      })(g));
      li.appendChild(btn);
      list.appendChild(li);
    }
  }
  $('fs-filter').addEventListener('input', buildLegend);
  $('fs-all').addEventListener('click', function () { hidden.fill(0); buildLegend(); schedule(); });
  $('fs-none').addEventListener('click', function () { hidden.fill(1); buildLegend(); schedule(); });

  // ---- controls ----
  var colorSel = $('fs-colorby');
  [['label', hasLabels], ['prediction', hasPreds], ['correct', hasLabels && hasPreds]].forEach(function (o) {
    var opt = colorSel.querySelector('option[value="' + o[0] + '"]');
    if (opt) opt.disabled = !o[1];
  });
  function setColorBy(by) {
    groups = buildGroups(by);
    colorSel.value = groups.by;
    hidden = new Uint8Array(groups.names.length);
    masks = {};
    $('fs-legend-title').textContent = { label: 'true label', prediction: 'predicted label', correct: 'top-1 prediction' }[groups.by];
    buildLegend();
    schedule();
  }
  colorSel.addEventListener('change', function () { setColorBy(colorSel.value); });
  var hl = $('fs-highlight');
  hl.disabled = !(hasLabels && hasPreds);
  hl.addEventListener('change', function () { highlight = hl.checked; schedule(); });
  $('fs-size').addEventListener('input', function (e) { sizeFactor = Number(e.target.value); schedule(); });
  $('fs-reset').addEventListener('click', function () { resetView(); schedule(); });

  // ---- pointer interaction: drag pans (2D) or orbits (3D; shift or right button pans), wheel zooms ----
  var drag = null;
  function local(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  canvas.addEventListener('pointerdown', function (e) {
    var p = local(e);
    drag = { x: p[0], y: p[1], moved: false, pan: dims === 2 || e.shiftKey || e.button === 2 };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', function (e) {
    var p = local(e);
    if (drag) {
      var dx = p[0] - drag.x, dy = p[1] - drag.y;
      if (!drag.moved && dx * dx + dy * dy < 9) return;
      drag.moved = true;
      drag.x = p[0]; drag.y = p[1];
      if (dims === 2) { view.cx -= dx / view.scale; view.cy += dy / view.scale; }
      else if (drag.pan) { view.px += dx; view.py += dy; }
      else { view.yaw += dx * 0.008; view.pitch = Math.max(-1.55, Math.min(1.55, view.pitch + dy * 0.008)); }
      tip.hidden = true; hovered = -1;
      schedule();
      return;
    }
    if (gridDirty && frame) return;
    setHover(nearest(p[0], p[1]), p[0], p[1]);
  });
  canvas.addEventListener('pointerup', function (e) {
    var p = local(e);
    if (drag && !drag.moved) select(nearest(p[0], p[1]));
    drag = null;
  });
  canvas.addEventListener('pointerleave', function () { if (!drag) setHover(-1, 0, 0); });
  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  canvas.addEventListener('dblclick', function () { resetView(); schedule(); });
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var f = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    if (dims === 2) {
      var p = local(e);
      var wx = view.cx + (p[0] - W / 2) / view.scale, wy = view.cy - (p[1] - H / 2) / view.scale;
      view.scale *= f;
      view.cx = wx - (p[0] - W / 2) / view.scale;
      view.cy = wy + (p[1] - H / 2) / view.scale;
    } else {
      view.zoom = Math.max(0.2, Math.min(40, view.zoom * f));
    }
    tip.hidden = true; hovered = -1;
    schedule();
  }, { passive: false });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') select(-1); });

  function resize() {
    var r = wrap.getBoundingClientRect();
    var nw = Math.max(1, r.width), nh = Math.max(1, r.height);
    var first = W === 1 && H === 1;
    if (!first && dims === 2) view.scale *= Math.min(nw, nh) / Math.min(W, H);
    W = nw; H = nh; dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
    masks = {};
    if (first) resetView();
    draw();
  }
  // The plot area changes size with the window and when the details panel opens or closes.
  if (typeof ResizeObserver === 'function') new ResizeObserver(function () { resize(); }).observe(wrap);
  else window.addEventListener('resize', resize);

  $('fs-title').textContent = D.title;
  document.title = D.title;
  $('fs-meta').textContent = D.methodName + ' ' + dims + 'D · ' + n.toLocaleString('en-US') + ' points · ' + C.toLocaleString('en-US') + ' classes' +
    (D.featscopeVersion ? ' · featscope ' + D.featscopeVersion : '');
  $('fs-help').textContent = dims === 2
    ? 'drag to pan · wheel to zoom · double-click to reset · click a point for details'
    : 'drag to orbit · shift-drag to pan · wheel to zoom · double-click to reset · click a point for details';
  setColorBy(D.colorBy);
  resize();

  // A small API for scripts and tests: where a point is on screen (CSS px, page coordinates).
  window.featscope = {
    data: D,
    screenPosition: function (i) { var r = canvas.getBoundingClientRect(); return [r.left + sx[i], r.top + sy[i]]; },
    isDrawn: function (i) { return !hidden[groups.groupOf[i]] && sx[i] >= 0 && sy[i] >= 0 && sx[i] < W && sy[i] < H; },
    select: select,
    colorBy: function () { return groups.by; },
    lastDrawMs: function () { return lastDrawMs; },
    ready: true,
  };
})();
`;
