// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts. This part comes first and holds only
// function declarations and constants, so state.ts can build these colourings while it starts up.
// Colourings beyond the figure's: top-1 confidence and numeric metadata columns (continuous, drawn as
// RAMP_LEVELS groups of a perceptual colormap, with a colour bar), categorical metadata columns and the
// placed-map set (one group per value, with the usual legend).
export const CLIENT_COLOR_SCALE = `
  // viridis (van der Walt & Smith, matplotlib 2.0's default; CC0) at 17 evenly spaced stops. Its
  // lightness rises monotonically, so order reads right in greyscale and for colour-blind readers.
  var VIRIDIS = ['440154', '48186a', '472d7b', '424086', '3b528b', '33638d', '2c728e', '26828e', '21918c',
    '1fa088', '28ae80', '3fbc73', '5ec962', '84d44b', 'addc30', 'd8e219', 'fde725'];
  // Continuous values are binned into this many colours: more than the eye separates on a ramp, and
  // each bin is a drawing group, so the drawing code needs nothing new.
  var RAMP_LEVELS = 64;
  var NO_VALUE_COLOR = '#c8c8c8';

  /** '#rrggbb' at t in [0, 1] along viridis (linear between stops). */
  function rampColor(t) {
    var x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1), j = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - j;
    var out = '#';
    for (var c = 0; c < 3; c++) {
      var a = parseInt(VIRIDIS[j].substr(2 * c, 2), 16), b = parseInt(VIRIDIS[j + 1].substr(2 * c, 2), 16);
      var v = Math.round(a + (b - a) * f).toString(16);
      out += v.length < 2 ? '0' + v : v;
    }
    return out;
  }

  /** Short text for a colour bar tick: about 3 significant digits, no exponent for everyday sizes. */
  function tickText(v) {
    if (v === 0) return '0';
    var a = Math.abs(v);
    if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
    return String(Number(v.toPrecision(3)));
  }

  // Per-point explore arrays are decoded from the page's binary data on first use (data.ts: bin).
  var setIdArray = null;
  function setIds() { return setIdArray || (setIdArray = bin('setIds')); }
  /** Column values: float32 numbers (NaN = none) or category ids (-1 = none). */
  function columnArray(col) { return col.decoded || (col.decoded = bin(col.array)); }

  function metadataColumn(want) {
    if (typeof want !== 'string' || want.indexOf('metadata:') !== 0) return null;
    var name = want.slice(9), cols = D.metadata || [];
    for (var c = 0; c < cols.length; c++) if (cols[c].name === name) return cols[c];
    return null;
  }

  /** The explore colourings of 'want', or null for the figure's (state.ts builds those). */
  function exploreGroups(want) {
    if (want === 'confidence' && k > 0) {
      var cv = new Float64Array(n);
      for (var i = 0; i < n; i++) cv[i] = conf[i * k];
      // Confidence is a probability: a fixed 0-1 scale keeps colours comparable between maps and runs.
      return rampGroups('confidence', 'top-1 confidence', cv, 0, 1);
    }
    if (want === 'set' && D.sets) {
      return categoryGroups('set', 'set', D.sets.names, setIds(), D.sets.colors);
    }
    var col = metadataColumn(want);
    if (!col) return null;
    if (col.kind === 'category') return categoryGroups(want, col.name, col.categories, columnArray(col), col.colors);
    var vals = columnArray(col), lo = Infinity, hi = -Infinity;
    for (var p = 0; p < n; p++) {
      var v = vals[p];
      if (v === v) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    return rampGroups(want, col.name, vals, lo, hi);
  }

  /** RAMP_LEVELS colour groups over [lo, hi], then "no value" for NaN; the legend draws a colour bar. */
  function rampGroups(by, title, vals, lo, hi) {
    var names = [], colors = [], shapes = [], groupOf = new Int32Array(n), i;
    for (var b = 0; b < RAMP_LEVELS; b++) {
      names.push(title + ' bin ' + (b + 1));
      colors.push(rampColor((b + 0.5) / RAMP_LEVELS));
      shapes.push('circle');
    }
    names.push('no value'); colors.push(NO_VALUE_COLOR); shapes.push('circle');
    var span = hi > lo ? hi - lo : 0;
    for (i = 0; i < n; i++) {
      var v = vals[i];
      if (v !== v) groupOf[i] = RAMP_LEVELS;
      else groupOf[i] = span > 0 ? Math.min(RAMP_LEVELS - 1, Math.floor(((v - lo) / span) * RAMP_LEVELS)) : RAMP_LEVELS >> 1;
    }
    var counts = new Int32Array(names.length);
    for (i = 0; i < n; i++) counts[groupOf[i]]++;
    var finite = lo <= hi;
    return { by: by, title: title, names: names, groupOf: groupOf, counts: counts, colors: colors, shapes: shapes,
      scale: { lo: finite ? lo : 0, hi: finite ? hi : 0, levels: RAMP_LEVELS, missing: counts[RAMP_LEVELS] } };
  }

  /** One group per category (ids index into names, -1 = no value), then "no value" when some have none. */
  function categoryGroups(by, title, names, ids, palette) {
    var m = names.length, groupOf = new Int32Array(n), counts = new Int32Array(m + 1), i;
    for (i = 0; i < n; i++) { groupOf[i] = ids[i] >= 0 ? ids[i] : m; counts[groupOf[i]]++; }
    var allNames = names.concat(['no value']), colors = palette.concat([NO_VALUE_COLOR]);
    if (counts[m] === 0) { allNames.pop(); colors.pop(); counts = counts.slice(0, m); }
    var shapes = allNames.map(function () { return 'circle'; });
    return { by: by, title: title, names: allNames, groupOf: groupOf, counts: counts, colors: colors, shapes: shapes };
  }

  /** Replaces the legend list with a colour bar: the ramp, its range, and the "no value" entry. */
  function buildColorBar(list) {
    var s = groups.scale, li = make('li', 'fs-colorbar-item'), bar = make('div', 'fs-colorbar');
    bar.id = 'fs-colorbar';
    var stops = [];
    for (var j = 0; j < VIRIDIS.length; j++) stops.push('#' + VIRIDIS[j] + ' ' + ((100 * j) / (VIRIDIS.length - 1)).toFixed(1) + '%');
    // Low values at the bottom, as on a map's colour bar.
    bar.style.background = 'linear-gradient(to top, ' + stops.join(', ') + ')';
    var ticks = make('div', 'fs-ticks');
    [s.hi, (s.lo + s.hi) / 2, s.lo].forEach(function (v) { ticks.appendChild(make('span', 'fs-tick', tickText(v))); });
    li.appendChild(bar);
    li.appendChild(ticks);
    list.appendChild(li);
    if (s.missing > 0) {
      var g = groups.names.length - 1, item = make('li', hidden[g] ? 'fs-off' : null), btn = make('button');
      btn.type = 'button';
      var sw = make('span', 'fs-swatch');
      sw.style.background = NO_VALUE_COLOR;
      sw.style.borderRadius = '50%';
      btn.appendChild(sw);
      btn.appendChild(make('span', 'fs-name', 'no value'));
      btn.appendChild(make('span', 'fs-count', s.missing.toLocaleString('en-US')));
      btn.addEventListener('click', function () { hidden[g] = hidden[g] ? 0 : 1; buildLegend(); schedule(); });
      item.appendChild(btn);
      list.appendChild(item);
    }
  }

`;
