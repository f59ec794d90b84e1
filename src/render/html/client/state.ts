// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, in the order data, state, draw, ui.
// Mirrors src/render/groups.ts, holds the view state and projects points (2D
// pan/zoom, 3D orbit with perspective).
export const CLIENT_STATE = String.raw`
  var hasLabels = false;
  for (var li = 0; li < n; li++) if (labels[li] >= 0) { hasLabels = true; break; }
  var hasPreds = k > 0;

  function make(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pct(v) { return (Math.round(v * 1000) / 10).toFixed(1) + '%'; }
  function className(id) { return id >= 0 && id < C ? D.classes[id] : 'unknown'; }

  // ---- groups (mirrors src/render/groups.ts) ----
  function effective(want) {
    if (want === 'domain' && doms) return 'domain';
    if (want === 'correct' && hasLabels && hasPreds) return 'correct';
    if (want === 'prediction' && hasPreds) return 'prediction';
    if (hasLabels) return 'label';
    return hasPreds ? 'prediction' : 'label';
  }
  function buildGroups(want) {
    var explore = exploreGroups(want); // confidence, set, metadata columns (color-scale.ts)
    if (explore) return explore;
    var by = effective(want);
    var groupOf = new Int32Array(n);
    var names, colors, shapes, i;
    if (by === 'domain') return domainGroups();
    if (by === 'correct') {
      names = ['correct', 'misclassified', 'unlabelled'];
      colors = D.correctColors.slice();
      shapes = ['circle', 'x', 'square'];
      for (i = 0; i < n; i++) groupOf[i] = labels[i] < 0 ? 2 : top[i * k] === labels[i] ? 0 : 1;
    } else if (by === 'prediction' && hasPreds) {
      names = D.classes.slice();
      for (i = 0; i < n; i++) groupOf[i] = top[i * k];
    } else if (!hasLabels) {
      names = ['points'];
      colors = [D.pointsColor];
      shapes = ['circle'];
    } else {
      names = D.classes.concat(['unlabelled']);
      for (i = 0; i < n; i++) groupOf[i] = labels[i] < 0 ? C : labels[i];
    }
    var counts = new Int32Array(names.length);
    for (i = 0; i < n; i++) counts[groupOf[i]]++;
    if (by === 'correct' && counts[2] === 0) {
      names.pop(); colors.pop(); shapes.pop(); counts = counts.slice(0, 2);
    } else if (!colors) {
      // Only classes with points are listed, styled as in the static figure (page data 'styles').
      var newId = new Int32Array(names.length), kept = [];
      for (i = 0; i < names.length; i++) { newId[i] = counts[i] > 0 ? kept.length : -1; if (counts[i] > 0) kept.push(i); }
      for (i = 0; i < n; i++) groupOf[i] = newId[groupOf[i]];
      names = kept.map(function (g) { return names[g]; });
      counts = Int32Array.from(kept, function (g) { return counts[g]; });
      colors = D.styles[by].colors.slice();
      shapes = D.styles[by].shapes.slice();
    }
    return { by: by, names: names, groupOf: groupOf, counts: counts, colors: colors, shapes: shapes };
  }
  // Colour = domain, marker = class (true label, else prediction): one group per (domain, class) pair
  // that has points, in domain then class order (mirrors src/render/domain-groups.ts).
  function domainGroups() {
    var stride = C + 1, slot = new Int32Array(doms.names.length * stride).fill(-1);
    var names = [], colors = [], shapes = [], counts = [], groupOf = new Int32Array(n), i, key;
    var keys = new Int32Array(n);
    for (i = 0; i < n; i++) {
      var cls = labels[i] >= 0 ? labels[i] : hasPreds ? top[i * k] : -1;
      keys[i] = doms.ids[i] * stride + cls + 1;
      slot[keys[i]] = 0;
    }
    for (key = 0; key < slot.length; key++) {
      if (slot[key] < 0) continue;
      var d = Math.floor(key / stride), c = (key % stride) - 1;
      slot[key] = names.length;
      names.push(doms.names[d] + ' · ' + (c < 0 ? 'unknown class' : D.classes[c]));
      colors.push(doms.colors[d]);
      shapes.push(c < 0 ? 'circle' : doms.markers[c]);
      counts.push(0);
    }
    for (i = 0; i < n; i++) { groupOf[i] = slot[keys[i]]; counts[groupOf[i]]++; }
    return { by: 'domain', names: names, groupOf: groupOf, counts: Int32Array.from(counts), colors: colors, shapes: shapes };
  }
  function isWrong(i) { return hasLabels && hasPreds && labels[i] >= 0 && top[i * k] !== labels[i]; }

  // ---- state ----
  var canvas = $('fs-canvas');
  // The points are drawn with WebGL on fs-canvas (draw.ts); rings and the gizmo on this overlay.
  var overlay = $('fs-overlay');
  var ctx = overlay.getContext('2d');
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

  // Screen positions (CSS px) of every point, for the hover grid (project) or of one (projectPoint);
  // the vertex shader in draw.ts computes the same.
  var cam = { cyaw: 1, syaw: 0, cp: 1, sp: 0, f: 1, ox: 0, oy: 0 }, pp = [0, 0, 1];
  function camera() {
    if (dims === 2) return;
    cam.cyaw = Math.cos(view.yaw); cam.syaw = Math.sin(view.yaw); cam.cp = Math.cos(view.pitch); cam.sp = Math.sin(view.pitch);
    cam.f = 1.2 * Math.min(W, H) * view.zoom; cam.ox = W / 2 + view.px; cam.oy = H / 2 + view.py;
  }
  function projectWith(i) {
    if (dims === 2) {
      pp[0] = W / 2 + (P[2 * i] - view.cx) * view.scale;
      pp[1] = H / 2 - (P[2 * i + 1] - view.cy) * view.scale;
      pp[2] = 1;
      return pp;
    }
    var x = (P[3 * i] - centre[0]) / extent, y = (P[3 * i + 1] - centre[1]) / extent, z = (P[3 * i + 2] - centre[2]) / extent;
    var x1 = cam.cyaw * x + cam.syaw * z, z1 = -cam.syaw * x + cam.cyaw * z;
    var y2 = cam.cp * y - cam.sp * z1, z2 = cam.sp * y + cam.cp * z1;
    var depth = 3.2 - z2;
    pp[0] = cam.ox + (cam.f * x1) / depth;
    pp[1] = cam.oy - (cam.f * y2) / depth;
    pp[2] = 3.2 / depth;
    return pp;
  }
  function project() {
    camera();
    for (var i = 0; i < n; i++) {
      var p = projectWith(i);
      sx[i] = p[0]; sy[i] = p[1]; sd[i] = p[2];
    }
  }
  /** [x, y, depth scale] of point i on screen (CSS px, relative to the canvas); the array is reused. */
  function projectPoint(i) { camera(); return projectWith(i); }

`;
