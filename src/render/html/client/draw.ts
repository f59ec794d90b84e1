// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, in the order data, state, draw, ui.
// Draws a frame with WebGL (our own small program, no library: docs/architecture.md, "Big maps"):
// one point sprite per point, its marker shape sampled from an atlas texture, coordinates projected
// in the vertex shader (2D pan/zoom, 3D orbit, the same formulas as project() in state.ts). Rings,
// the axis gizmo and the hover are drawn on a 2D overlay canvas; the hovered point is found with a
// uniform grid over the projected points, rebuilt lazily after a view change.
// What the other parts use: schedule() (redraw on the next frame), scheduleOverlay() (only the rings
// and gizmo: hover and selection), draw(), invalidateColors(),
// tracePath() (legend swatches), nearest(x, y) (hover/click lookup), projectPoint(i) ([x, y, depth
// scale] in CSS px, from state.ts), project() (all points into sx, sy, sd), lastDrawMs, glInfo
// (the WebGL version, or why there is none).
// Per-point attributes (colour, shape, visibility) are rebuilt only when the colouring (the groups
// object) or the hidden groups change, or after invalidateColors(); a pan, zoom or orbit only
// changes uniforms. A colouring may give groups.pointRgb (Uint8Array, n*3) to colour each point
// itself (a continuous colour scale); the group still gives the marker and the legend toggle.
// No backslashes in this part: a plain template literal.
export const CLIENT_DRAW = `
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

  // ---- WebGL set-up ----
  // A sprite spans SPRITE marker radii each side of the point: marker outlines reach past radius 1.
  var SPRITE = 1.75, CELL_PX = 64;
  var glOpts = { alpha: false, antialias: false, depth: true, preserveDrawingBuffer: true };
  var gl = canvas.getContext('webgl2', glOpts) || canvas.getContext('webgl', glOpts);
  var glInfo = gl ? gl.getParameter(gl.VERSION) : 'WebGL is not available in this browser';
  var VS = [
    'attribute vec3 aPos; attribute vec4 aColor; attribute vec2 aMeta;',
    'uniform float uDims, uDpr, uRadius, uGrow, uAlpha, uEmph, uPass, uDist;',
    'uniform vec2 uSize, uDepth; uniform vec3 uView, uCentre, uCam; uniform vec4 uRot; uniform float uExtent;',
    'varying vec4 vColor; varying float vShape;',
    'void main() {',
    '  if (aColor.a < 0.5 || (uEmph > 0.5 && abs(aMeta.y - uPass) > 0.5)) { gl_Position = vec4(2.0, 2.0, 2.0, 1.0); gl_PointSize = 0.0; return; }',
    '  float sx, sy, sd = 1.0, zc = 0.0, a = uAlpha;',
    '  if (uDims < 2.5) {',
    '    sx = uSize.x * 0.5 + (aPos.x - uView.x) * uView.z;',
    '    sy = uSize.y * 0.5 - (aPos.y - uView.y) * uView.z;',
    '  } else {',
    '    vec3 p = (aPos - uCentre) / uExtent;',
    '    float x1 = uRot.x * p.x + uRot.y * p.z, z1 = -uRot.y * p.x + uRot.x * p.z;',
    '    float y2 = uRot.z * p.y - uRot.w * z1, z2 = uRot.w * p.y + uRot.z * z1;',
    '    float depth = uDist - z2;',
    '    sx = uCam.y + uCam.x * x1 / depth; sy = uCam.z - uCam.x * y2 / depth; sd = uDist / depth;',
    '    zc = clamp(-z2 / 2.0, -1.0, 1.0);',
    '    if (uDepth.y > 0.0) a *= 0.45 + 0.55 * clamp((sd - uDepth.x) / uDepth.y, 0.0, 1.0);',
    '  }',
    '  gl_Position = vec4(sx / uSize.x * 2.0 - 1.0, 1.0 - sy / uSize.y * 2.0, zc, 1.0);',
    '  gl_PointSize = 2.0 * ' + SPRITE.toFixed(2) + ' * uRadius * uGrow * sd * uDpr;',
    '  vColor = vec4(aColor.rgb, a); vShape = aMeta.x;',
    '}'
  ].join('');
  var FS = [
    'precision mediump float;',
    'uniform sampler2D uAtlas; uniform float uShapes, uOpaque, uRim;',
    'varying vec4 vColor; varying float vShape;',
    'void main() {',
    '  vec4 m = texture2D(uAtlas, vec2((vShape + gl_PointCoord.x) / uShapes, gl_PointCoord.y));',
    '  if (m.r < 0.02) discard;',
    '  vec3 col = mix(vColor.rgb, vec3(0.133), m.g * 0.6 * uRim);',
    // 3D: opaque sprites with a depth test (nearest in front without sorting), faded towards the
    // white background with depth; 2D: alpha-blended in a fixed shuffled order.
    '  if (uOpaque > 0.5) { if (m.r < 0.5) discard; gl_FragColor = vec4(mix(vec3(1.0), col, vColor.a), 1.0); }',
    '  else gl_FragColor = vec4(col, vColor.a * m.r);',
    '}'
  ].join('');
  var prog = null, loc = {}, buf = {}, shapeIndex = {}, shapeNames = Object.keys(D.shapes), indexType = 0;
  function compile(type, src) {
    var s = gl.createShader(type);
    gl.shaderSource(s, src);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error('featscope: shader: ' + gl.getShaderInfoLog(s));
    return s;
  }
  function atlas() {
    // One cell per marker shape: red = fill coverage, green = the thin rim drawn around highlighted points.
    var S = CELL_PX, ns = shapeNames.length, r = S / 2 / SPRITE;
    var c = document.createElement('canvas');
    c.width = S * ns; c.height = S;
    var g = c.getContext('2d');
    shapeNames.forEach(function (name, j) { tracePath(g, name, j * S + S / 2, S / 2, r); g.fill(); });
    var fill = g.getImageData(0, 0, c.width, S).data;
    g.clearRect(0, 0, c.width, S);
    g.lineWidth = r * 0.22;
    shapeNames.forEach(function (name, j) { tracePath(g, name, j * S + S / 2, S / 2, r); g.stroke(); });
    var rim = g.getImageData(0, 0, c.width, S).data, px = new Uint8Array(c.width * S * 4);
    for (var p = 0; p < px.length; p += 4) { px[p] = fill[p + 3]; px[p + 1] = rim[p + 3]; px[p + 3] = 255; }
    var tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, c.width, S, 0, gl.RGBA, gl.UNSIGNED_BYTE, px);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  }
  function attribute(name, size, type, normalised) {
    var b = gl.createBuffer(), l = gl.getAttribLocation(prog, name);
    gl.bindBuffer(gl.ARRAY_BUFFER, b);
    gl.enableVertexAttribArray(l);
    gl.vertexAttribPointer(l, size, type, normalised, 0, 0);
    return b;
  }
  function setUpGl() {
    prog = gl.createProgram();
    gl.attachShader(prog, compile(gl.VERTEX_SHADER, VS));
    gl.attachShader(prog, compile(gl.FRAGMENT_SHADER, FS));
    gl.linkProgram(prog);
    if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error('featscope: program: ' + gl.getProgramInfoLog(prog));
    gl.useProgram(prog);
    ['uDims', 'uDpr', 'uRadius', 'uGrow', 'uAlpha', 'uEmph', 'uPass', 'uDist', 'uSize', 'uDepth', 'uView', 'uCentre', 'uCam', 'uRot', 'uExtent', 'uAtlas', 'uShapes', 'uRim', 'uOpaque']
      .forEach(function (u) { loc[u] = gl.getUniformLocation(prog, u); });
    shapeNames.forEach(function (s, j) { shapeIndex[s] = j; });
    atlas();
    gl.uniform1i(loc.uAtlas, 0);
    gl.uniform1f(loc.uShapes, shapeNames.length);
    buf.pos = attribute('aPos', dims, gl.FLOAT, false);
    gl.bufferData(gl.ARRAY_BUFFER, P, gl.STATIC_DRAW);
    buf.color = attribute('aColor', 4, gl.UNSIGNED_BYTE, true);
    buf.meta = attribute('aMeta', 2, gl.UNSIGNED_BYTE, false);
    // The fixed shuffled order (order2d) as an index buffer: no class is always painted on top.
    var big = n > 65535;
    if (!big || typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext || gl.getExtension('OES_element_index_uint')) {
      buf.order = gl.createBuffer();
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, buf.order);
      gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, big ? order2d : Uint16Array.from(order2d), gl.STATIC_DRAW);
      indexType = big ? gl.UNSIGNED_INT : gl.UNSIGNED_SHORT;
    }
  }
  // Points' colours and shapes follow the groups; rebuilt when the groups or the hidden set change.
  var attrKey = null, colorBytes = new Uint8Array(n * 4), metaBytes = new Uint8Array(n * 2);
  function updateAttributes() {
    // The emphasis mask (select.ts: focus) changes the second-pass flag, so it is part of the key.
    var key = groups.by + ':' + hidden.join('') + ':' + (focus ? focusVersion : -1);
    if (key === attrKey && attrGroups === groups) return;
    attrKey = key; attrGroups = groups;
    var ng = groups.names.length, rgb = groups.colors.map(hexRgb), gOf = groups.groupOf, own = groups.pointRgb || null;
    var shapeOf = groups.shapes.map(function (s) { return shapeIndex[s] || 0; });
    for (var i = 0; i < n; i++) {
      var g = gOf[i], c = rgb[g], o = 4 * i;
      if (own) { colorBytes[o] = own[3 * i]; colorBytes[o + 1] = own[3 * i + 1]; colorBytes[o + 2] = own[3 * i + 2]; }
      else { colorBytes[o] = c[0]; colorBytes[o + 1] = c[1]; colorBytes[o + 2] = c[2]; }
      colorBytes[o + 3] = hidden[g] ? 0 : 255;
      metaBytes[2 * i] = shapeOf[g];
      metaBytes[2 * i + 1] = focus ? focus[i] : isWrong(i) ? 1 : 0;
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, buf.color);
    gl.bufferData(gl.ARRAY_BUFFER, colorBytes, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, buf.meta);
    gl.bufferData(gl.ARRAY_BUFFER, metaBytes, gl.DYNAMIC_DRAW);
    shownCount = 0;
    for (var h = 0; h < ng; h++) if (!hidden[h]) shownCount += groups.counts[h];
  }
  var attrGroups = null, shownCount = 0;
  /** Makes the next frame rebuild the per-point colours (after changing groups.pointRgb in place). */
  function invalidateColors() { attrKey = null; schedule(); }

  // ---- drawing ----
  // A hover or selection change redraws only the overlay (rings): a million points are redrawn only
  // when the view, the colouring or the visible groups change.
  var frame = 0, glDirty = true;
  function schedule() { glDirty = true; if (!frame) frame = requestAnimationFrame(draw); }
  function scheduleOverlay() { if (!frame) frame = requestAnimationFrame(draw); }
  var lastDrawMs = 0;
  // Bounds of the 3D depth scale (for depth cueing): the data lies within radius rMax of the centre.
  var rMax = 0;
  if (dims === 3) for (var ri = 0; ri < n; ri++) {
    var ex = (P[3 * ri] - centre[0]) / extent, ey = (P[3 * ri + 1] - centre[1]) / extent, ez = (P[3 * ri + 2] - centre[2]) / extent;
    rMax = Math.max(rMax, Math.sqrt(ex * ex + ey * ey + ez * ez));
  }
  var DIST = 3.2;
  function updateZoom() {
    zoomLevel = dims === 2 ? (view.scale * extent) / (0.46 * Math.min(W, H)) : view.zoom;
  }
  function draw() {
    frame = 0;
    var t0 = performance.now();
    updateZoom();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!gl) {
      gridDirty = true;
      $('fs-shown').textContent = 'cannot draw: ' + glInfo;
      return;
    }
    if (!prog) setUpGl();
    if (glDirty) drawPoints();
    if (dims === 3) drawGizmo();
    ring(selected, '#111', 2.2);
    if (selected >= 0 && nbr) {
      for (var j = 0; j < nbr.k; j++) ring(nbr.indices[selected * nbr.k + j], '#555', 1.2);
    }
    ring(hovered, '#000', 1.5);
    $('fs-shown').textContent = shownCount.toLocaleString('en-US') + ' of ' + n.toLocaleString('en-US') + ' points shown';
    lastDrawMs = performance.now() - t0;
  }
  function drawPoints() {
    glDirty = false;
    gridDirty = true;
    updateAttributes();
    gl.viewport(0, 0, canvas.width, canvas.height);
    gl.clearColor(1, 1, 1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    var r = pointRadius();
    gl.uniform1f(loc.uDims, dims);
    gl.uniform1f(loc.uOpaque, dims === 3 ? 1 : 0);
    gl.uniform1f(loc.uDpr, dpr);
    gl.uniform1f(loc.uRadius, r);
    gl.uniform2f(loc.uSize, W, H);
    gl.uniform1f(loc.uDist, DIST);
    if (dims === 2) gl.uniform3f(loc.uView, view.cx, view.cy, view.scale);
    else {
      gl.uniform3f(loc.uCentre, centre[0], centre[1], centre[2]);
      gl.uniform1f(loc.uExtent, extent);
      gl.uniform4f(loc.uRot, Math.cos(view.yaw), Math.sin(view.yaw), Math.cos(view.pitch), Math.sin(view.pitch));
      gl.uniform3f(loc.uCam, 1.2 * Math.min(W, H) * view.zoom, W / 2 + view.px, H / 2 + view.py);
      var dMin = DIST / (DIST + rMax), dMax = DIST / (DIST - Math.min(rMax, DIST - 0.1));
      gl.uniform2f(loc.uDepth, dMin, dMax - dMin);
    }
    // A selection or a search's matches (select.ts: focus) takes the place of the misclassified points.
    var faint = !!focus || highlight, emphasise = faint || groups.by === 'correct';
    gl.uniform1f(loc.uEmph, emphasise ? 1 : 0);
    // Misclassified points are drawn in a second pass, on top, when they are what the user asked to see;
    // a selection during a search gets a third pass, above the matches.
    var passes = emphasise ? (focus ? focusLevels : 2) : 1;
    for (var pass = 0; pass < passes; pass++) {
      gl.uniform1f(loc.uPass, pass);
      gl.uniform1f(loc.uAlpha, faint ? (pass >= 1 ? 1 : 0.18) : baseAlpha);
      gl.uniform1f(loc.uGrow, pass === 2 ? 1.6 : pass === 1 && faint ? 1.3 : 1);
      // A thin dark rim separates highlighted points where markers are big enough to carry one; the
      // selection among a search's matches always has one.
      gl.uniform1f(loc.uRim, pass === 2 || (pass === 1 && faint && r >= 2.5) ? 1 : 0);
      if (dims === 3 && pass === 0) { gl.enable(gl.DEPTH_TEST); gl.depthFunc(gl.LESS); } else gl.disable(gl.DEPTH_TEST);
      if (dims === 2) { gl.enable(gl.BLEND); gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA); } else gl.disable(gl.BLEND);
      if (indexType) gl.drawElements(gl.POINTS, n, indexType, 0);
      else gl.drawArrays(gl.POINTS, 0, n);
    }
  }
  function ring(i, color, width) {
    if (i < 0 || hidden[groups.groupOf[i]]) return;
    var p = projectPoint(i), r = pointRadius() * p[2] + 3;
    ctx.beginPath();
    ctx.arc(p[0], p[1], r, 0, 2 * Math.PI);
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
  /** Draws now and waits for the GPU to finish (a one-pixel read), returning the milliseconds: for benchmarks. */
  function timeFrame() {
    var t0 = performance.now();
    glDirty = true;
    draw();
    if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - t0;
  }

  // ---- hover lookup: a uniform grid over screen positions, rebuilt lazily after each draw ----
  var CELL = 16, gridDirty = true, gw = 0, gh = 0, cellStart = null, cellItems = null;
  function buildGrid() {
    project();
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
        // (points within 2 px count as under the cursor); in 2D the nearest point, exactly.
        if (dd < bestD - 1e-9 || (dims === 3 && dd <= bestD && sd[i] > bestDepth)) { best = i; bestD = dims === 3 ? Math.max(dd, 4) : dd; bestDepth = sd[i]; }
      }
    }
    return best;
  }

`;
