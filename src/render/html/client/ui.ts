// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, in the order data, state, draw, ui.
// Tooltip, details panel (top-k, feature-space neighbours), legend, controls, pointer and wheel handling,
// resizing, and the small window.featscope API.
export const CLIENT_UI = String.raw`
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
    if (doms) row('domain', doms.names[doms.ids[i]]);
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
    canvas.style.cursor = i >= 0 ? 'pointer' : tool === 'pan' ? '' : 'crosshair';
    scheduleOverlay();
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
    if (i < 0) { panel.hidden = true; scheduleOverlay(); return; }
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
    scheduleOverlay();
  }
  $('fs-close').addEventListener('click', function () { select(-1); });

  // ---- legend ----
  function buildLegend() {
    var list = $('fs-legend-list');
    list.textContent = '';
    if (groups.scale) { $('fs-filter').hidden = true; buildColorBar(list); return; } // color-scale.ts
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
  [['label', hasLabels], ['prediction', hasPreds], ['correct', hasLabels && hasPreds], ['domain', !!doms], ['confidence', hasPreds], ['set', !!D.sets]].forEach(function (o) {
    var opt = colorSel.querySelector('option[value="' + o[0] + '"]');
    if (opt) opt.disabled = !o[1];
  });
  function setColorBy(by) {
    groups = buildGroups(by);
    colorSel.value = groups.by;
    hidden = new Uint8Array(groups.names.length);
    $('fs-legend-title').textContent = groups.title || { label: 'true label', prediction: 'predicted label', correct: 'top-1 prediction', domain: 'domain · class' }[groups.by];
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
    if (tool !== 'pan' && e.button === 0) { startShape(p[0], p[1]); canvas.setPointerCapture(e.pointerId); return; } // select.ts
    drag = { x: p[0], y: p[1], moved: false, pan: dims === 2 || e.shiftKey || e.button === 2 };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', function (e) {
    var p = local(e);
    if (shape) { moveShape(p[0], p[1]); return; }
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
    if (shape) { endShape(p[0], p[1], e); return; }
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
    overlay.width = canvas.width; overlay.height = canvas.height;
    overlay.style.width = W + 'px'; overlay.style.height = H + 'px';
    if (first) resetView();
    glDirty = true;
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
    /** [x, y, depth scale] of point i relative to the canvas (CSS px); the array is reused. */
    projectPoint: projectPoint,
    screenPosition: function (i) { var r = canvas.getBoundingClientRect(), p = projectPoint(i); return [r.left + p[0], r.top + p[1]]; },
    isDrawn: function (i) { var p = projectPoint(i); return !hidden[groups.groupOf[i]] && p[0] >= 0 && p[1] >= 0 && p[0] < W && p[1] < H; },
    select: select,
    colorBy: function () { return groups.by; },
    lastDrawMs: function () { return lastDrawMs; },
    timeFrame: timeFrame,
    renderer: glInfo,
    ready: true,
  };
`;
