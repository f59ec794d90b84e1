// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, after select.ts and export.ts.
// Search by path or class name: matches are emphasised in the drawing and counted, and can become
// the selection. Also adds the explore functions to the page's small API (window.featscope).
export const CLIENT_SEARCH = `
  // ---- search ----
  var searchBox = $('fs-search');
  /**
   * A point matches when its path or its class name contains the text (case-insensitive). The class
   * is the true label, or the top-1 prediction where the label is unknown.
   */
  var lowerPaths = null;
  function searchMatches(q) {
    // Lower-cased once, on the first search: the page may hold a million paths.
    if (!lowerPaths) lowerPaths = D.paths.map(function (p) { return p.toLowerCase(); });
    var mask = new Uint8Array(n), count = 0, hit = new Uint8Array(C + 1);
    for (var c = 0; c < C; c++) hit[c] = D.classes[c].toLowerCase().indexOf(q) >= 0 ? 1 : 0;
    for (var i = 0; i < n; i++) {
      var cls = labels[i] >= 0 ? labels[i] : hasPreds ? top[i * k] : -1;
      if ((cls >= 0 && hit[cls]) || lowerPaths[i].indexOf(q) >= 0) { mask[i] = 1; count++; }
    }
    return { mask: mask, count: count };
  }
  function runSearch() {
    var q = searchBox.value.trim().toLowerCase();
    var out = $('fs-search-count'), btn = $('fs-search-select');
    if (!q) { searchMask = null; out.textContent = ''; btn.hidden = true; updateFocus(); return; }
    var r = searchMatches(q);
    searchMask = r.mask;
    out.textContent = r.count.toLocaleString('en-US') + (r.count === 1 ? ' match' : ' matches');
    btn.hidden = r.count === 0;
    updateFocus();
  }
  searchBox.addEventListener('input', runSearch);
  $('fs-search-select').addEventListener('click', function (e) {
    if (!searchMask) return;
    var hits = [];
    for (var i = 0; i < n; i++) if (searchMask[i]) hits.push(i);
    applySelection(hits, modeOf(e));
  });

  window.featscope.selection = chosenList;
  window.featscope.setSelection = function (indices, mode) { applySelection(indices, mode || 'replace'); };
  window.featscope.selectionCsv = selectionCsv;
  window.featscope.setTool = setTool;
  /** The colour the current colouring gives point i ('#rrggbb'). */
  window.featscope.colorOf = function (i) { return groups.colors[groups.groupOf[i]]; };
`;
