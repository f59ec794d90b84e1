// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, after ui.ts.
// Box and lasso selection on the current screen projection (in 3D: what the current view shows),
// the selection panel (thumbnails, labels, predictions), and the emphasis of the selection or of a
// search's matches in the drawing (draw.ts reads 'focus').
export const CLIENT_SELECT = `
  // ---- selection state ----
  var chosen = new Uint8Array(n), chosenCount = 0;
  // The emphasised points (null = none): per point 0 (faint), 1 (a search's match, or selected when no
  // search is active) or 2 (selected while a search is active: drawn on top, larger, with a rim, so
  // the selection stays visible among the matches). focusLevels: the highest value + 1.
  var focus = null, focusVersion = 0, focusLevels = 2, bothMask = null;
  var searchMask = null;
  var tool = 'pan';
  var shape = null;
  var LIST_ROWS = 250;

  function updateFocus() {
    focusLevels = searchMask && chosenCount > 0 ? 3 : 2;
    if (focusLevels === 3) {
      bothMask = bothMask || new Uint8Array(n);
      for (var i = 0; i < n; i++) bothMask[i] = chosen[i] ? 2 : searchMask[i];
      focus = bothMask;
    } else focus = searchMask ? searchMask : chosenCount > 0 ? chosen : null;
    focusVersion++; // the mask's contents changed: draw.ts rebuilds its per-point flags
    schedule();
  }
  /** Points whose screen position passes 'inside', among those drawn (not hidden, on screen). */
  function pointsWhere(inside) {
    var out = [];
    for (var i = 0; i < n; i++) {
      if (hidden[groups.groupOf[i]] || !(sx[i] >= 0 && sy[i] >= 0 && sx[i] < W && sy[i] < H)) continue;
      if (inside(sx[i], sy[i])) out.push(i);
    }
    return out;
  }
  /** Even-odd ray casting: is (x, y) inside the closed polygon xs/ys? */
  function inPolygon(x, y, xs, ys) {
    var inside = false;
    for (var a = 0, b = xs.length - 1; a < xs.length; b = a++) {
      if ((ys[a] > y) !== (ys[b] > y) && x < ((xs[b] - xs[a]) * (y - ys[a])) / (ys[b] - ys[a]) + xs[a]) inside = !inside;
    }
    return inside;
  }
  /** mode: 'replace' (plain drag), 'add' (shift), 'remove' (alt). */
  function applySelection(indices, mode) {
    if (mode === 'replace') chosen.fill(0);
    var on = mode === 'remove' ? 0 : 1;
    for (var j = 0; j < indices.length; j++) chosen[indices[j]] = on;
    chosenCount = 0;
    for (var i = 0; i < n; i++) chosenCount += chosen[i];
    renderSelection();
    updateFocus();
  }
  function modeOf(e) { return e.altKey ? 'remove' : e.shiftKey ? 'add' : 'replace'; }
  function chosenList() {
    var out = [];
    for (var i = 0; i < n; i++) if (chosen[i]) out.push(i);
    return out;
  }

  // ---- box and lasso: drawn on an SVG overlay, applied on release ----
  var lassoPath = $('fs-lasso-path');
  function startShape(x, y) { shape = { xs: [x], ys: [y], x0: x, y0: y, x1: x, y1: y }; drawShape(); }
  function moveShape(x, y) {
    shape.x1 = x; shape.y1 = y;
    var lx = shape.xs[shape.xs.length - 1], ly = shape.ys[shape.ys.length - 1];
    if ((x - lx) * (x - lx) + (y - ly) * (y - ly) >= 4) { shape.xs.push(x); shape.ys.push(y); }
    drawShape();
  }
  function drawShape() {
    if (!shape) { lassoPath.setAttribute('d', ''); return; }
    if (tool === 'box') {
      lassoPath.setAttribute('d', 'M' + shape.x0 + ',' + shape.y0 + 'H' + shape.x1 + 'V' + shape.y1 + 'H' + shape.x0 + 'Z');
    } else {
      var d = 'M' + shape.xs[0] + ',' + shape.ys[0];
      for (var j = 1; j < shape.xs.length; j++) d += 'L' + shape.xs[j] + ',' + shape.ys[j];
      lassoPath.setAttribute('d', d + 'Z');
    }
  }
  function endShape(x, y, e) {
    moveShape(x, y);
    var s = shape;
    shape = null;
    drawShape();
    var bx0 = Math.min.apply(null, s.xs), bx1 = Math.max.apply(null, s.xs), by0 = Math.min.apply(null, s.ys), by1 = Math.max.apply(null, s.ys);
    // Judged by the whole path, not the release point: a lasso ends where it started.
    if (bx1 - bx0 < 3 && by1 - by0 < 3) {
      // A click: shift or alt toggles the point under the cursor; a plain click opens its details.
      var i = nearest(x, y);
      if (e.shiftKey || e.altKey) { if (i >= 0) applySelection([i], chosen[i] ? 'remove' : 'add'); }
      else select(i);
      return;
    }
    var inside;
    project(); // screen positions of every point in the current view (sx, sy)
    if (tool === 'box') {
      var xa = Math.min(s.x0, x), xb = Math.max(s.x0, x), ya = Math.min(s.y0, y), yb = Math.max(s.y0, y);
      inside = function (px, py) { return px >= xa && px <= xb && py >= ya && py <= yb; };
    } else {
      inside = function (px, py) { return px >= bx0 && px <= bx1 && py >= by0 && py <= by1 && inPolygon(px, py, s.xs, s.ys); };
    }
    applySelection(pointsWhere(inside), modeOf(e));
  }
  function setTool(t) {
    tool = t;
    var btns = document.querySelectorAll('#fs-tools button');
    for (var b = 0; b < btns.length; b++) btns[b].setAttribute('aria-pressed', btns[b].getAttribute('data-tool') === t ? 'true' : 'false');
    canvas.style.cursor = t === 'pan' ? '' : 'crosshair';
    $('fs-help').textContent = t === 'pan' ? helpText : 'drag to select · shift adds · alt removes · click a point for details';
  }
  var helpText = $('fs-help').textContent;
  var toolBtns = document.querySelectorAll('#fs-tools button');
  for (var tb = 0; tb < toolBtns.length; tb++) {
    toolBtns[tb].addEventListener('click', function (e) { setTool(e.currentTarget.getAttribute('data-tool')); });
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && shape) { shape = null; drawShape(); }
  });

  // ---- the selection panel ----
  var selPanel = $('fs-selection');
  function selectionRow(i) {
    var b = make('button', 'fs-sel-row');
    b.type = 'button';
    var src = thumbOf(i);
    if (src) { var im = make('img', 'fs-sel-thumb'); im.src = src; im.alt = ''; b.appendChild(im); }
    else b.appendChild(make('span', 'fs-sel-thumb'));
    var text = make('span', 'fs-sel-text');
    text.appendChild(make('span', 'fs-path', D.paths[i]));
    var line = (labels[i] >= 0 ? className(labels[i]) : 'unknown');
    if (hasPreds) line += ' → ' + predictionLine(i);
    text.appendChild(make('span', isWrong(i) ? 'fs-wrong' : null, line));
    b.appendChild(text);
    b.addEventListener('click', function () { select(i); });
    return b;
  }
  function renderSelection() {
    var list = $('fs-sel-list');
    list.textContent = '';
    selPanel.hidden = chosenCount === 0;
    $('fs-sel-title').textContent = chosenCount.toLocaleString('en-US') + ' selected';
    var shown = 0;
    for (var i = 0; i < n && shown < LIST_ROWS; i++) {
      if (!chosen[i]) continue;
      var li = make('li');
      li.appendChild(selectionRow(i));
      list.appendChild(li);
      shown++;
    }
    $('fs-sel-more').textContent = chosenCount > shown ? 'and ' + (chosenCount - shown).toLocaleString('en-US') + ' more (all are in the CSV)' : '';
    // The panel changes the plot's size: a tooltip placed for the old size would be wrong.
    tip.hidden = true;
    hovered = -1;
  }
  $('fs-sel-clear').addEventListener('click', function () { applySelection([], 'replace'); });

`;
