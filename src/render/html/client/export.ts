// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, after select.ts.
// The selection as CSV, saved through a Blob and a download link: no server, so it works from a page
// opened from disk.
export const CLIENT_EXPORT = String.raw`
  // ---- CSV export of the selection ----
  /** RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, line break or edge space. */
  function csvCell(v) {
    var s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  /**
   * A text value (path, class, domain, set, metadata text) made safe to open in a spreadsheet: one
   * starting with = + - @, a tab or a carriage return would be read as a formula (CSV injection), so
   * it gets a leading apostrophe, as OWASP recommends. Numbers are written as numbers, unguarded.
   */
  function textCell(v) {
    var s = v === null || v === undefined ? '' : String(v);
    return /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
  }
  /**
   * One row per selected point, in predictions.csv order: its row index there, path, true label,
   * top-1 prediction and confidence, domain and set when the map has them, the metadata columns,
   * and its map coordinates.
   */
  function selectionCsv() {
    var cols = D.metadata || [], axes = dims === 2 ? ['x', 'y'] : ['x', 'y', 'z'];
    var header = ['index', 'path', 'label', 'prediction', 'confidence'];
    if (doms) header.push('domain');
    if (D.sets) header.push('set');
    cols.forEach(function (c) { header.push(c.name); });
    header = header.concat(axes);
    var lines = [header.map(function (h) { return csvCell(textCell(h)); }).join(',')];
    for (var i = 0; i < n; i++) {
      if (!chosen[i]) continue;
      var row = [i, textCell(D.paths[i]), labels[i] >= 0 ? textCell(className(labels[i])) : '', hasPreds ? textCell(className(top[i * k])) : '', hasPreds ? num(conf[i * k]) : ''];
      if (doms) row.push(textCell(doms.names[doms.ids[i]]));
      if (D.sets) row.push(textCell(D.sets.names[setIds()[i]]));
      for (var c = 0; c < cols.length; c++) {
        var v = columnArray(cols[c])[i];
        if (cols[c].kind === 'number') row.push(v === v ? num(v) : '');
        else row.push(v >= 0 ? textCell(cols[c].categories[v]) : '');
      }
      for (var a = 0; a < dims; a++) row.push(num(P[i * dims + a]));
      lines.push(row.map(csvCell).join(','));
    }
    return lines.join('\n') + '\n';
  }
  /** 6 significant digits: the page holds 32-bit floats, whose full decimals would only be noise. */
  function num(v) { return Number(v.toPrecision(6)); }
  function exportFileName() { return D.method + '-' + dims + 'd-selection.csv'; }
  function exportSelection() {
    var url = URL.createObjectURL(new Blob([selectionCsv()], { type: 'text/csv;charset=utf-8' }));
    var a = make('a');
    a.href = url;
    a.download = exportFileName();
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Revoked later, not at once: the browser reads the Blob after the click returns.
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }
  $('fs-export').addEventListener('click', exportSelection);

`;
