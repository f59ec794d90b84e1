// Part of the interactive page's inlined script (see ../client-script.ts): plain ES2017 text that
// runs inside one function scope shared with the other parts, in the order data, state, draw, ui.
// Reads the page data (format "featscope-page" version 2, see ../page-data.ts): the JSON element
// and the base64 binary arrays. What the other parts use:
//   D            the parsed JSON (names, styles, D.binary describing each array)
//   bin(name)    a binary array as its typed array (Uint8Array, Int16Array, ...), or null when absent
//   n, dims, k, C, P (Float32Array n*dims map coordinates), labels, top, conf (Float32Array),
//   nbr ({ k, indices } or null), doms ({ names, colors, markers, ids } or null)
//   thumbOf(i)   the <img src> of point i's thumbnail (data URI or relative file), or null
export const CLIENT_DATA = String.raw`
  function $(id) { return document.getElementById(id); }
  var D = JSON.parse($('featscope-data').textContent);
  if (D.format !== 'featscope-page' || D.version !== 2) throw new Error('featscope: unknown page data version ' + D.version);
  var TYPES = { uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, float32: Float32Array };
  var littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  function bin(name) {
    var spec = D.binary[name], el = $('featscope-bin-' + name);
    if (!spec || !el) return null;
    var s = atob(el.textContent), bytes = new Uint8Array(s.length);
    for (var b = 0; b < s.length; b++) bytes[b] = s.charCodeAt(b);
    var T = TYPES[spec.type];
    if (!littleEndian && T.BYTES_PER_ELEMENT > 1) {
      for (var o = 0; o < bytes.length; o += T.BYTES_PER_ELEMENT) Array.prototype.reverse.call(bytes.subarray(o, o + T.BYTES_PER_ELEMENT));
    }
    var a = new T(bytes.buffer);
    if (a.length !== spec.length) throw new Error('featscope: binary array ' + name + ' has ' + a.length + ' entries, expected ' + spec.length);
    return a;
  }
  var n = D.n;
  var dims = D.dims;
  var k = D.k;
  var C = D.classes.length;
  var P = (function () {
    var q = bin('coords'), out = new Float32Array(n * dims);
    for (var d = 0; d < dims; d++) {
      var lo = D.coordRange.lo[d], s = (D.coordRange.hi[d] - lo) / 65535;
      for (var i = 0; i < n; i++) out[i * dims + d] = lo + q[i * dims + d] * s;
    }
    return out;
  })();
  var labels = bin('labels');
  var top = bin('top') || new Int16Array(0);
  var conf = (function () {
    var c = bin('conf'), out = new Float32Array(c ? c.length : 0);
    for (var i = 0; i < out.length; i++) out[i] = c[i] / 10000;
    return out;
  })();
  var nbr = D.neighbors ? { k: D.neighbors.k, indices: bin('neighbors') } : null;
  var doms = D.domains ? { names: D.domains.names, colors: D.domains.colors, markers: D.domains.markers, ids: bin('domainIds') } : null;
  var thumbKinds = D.thumbs && D.thumbs.mode === 'folder' ? bin('thumbKinds') : null;
  function thumbOf(i) {
    if (!D.thumbs) return null;
    if (thumbKinds) {
      var kind = thumbKinds[i];
      if (!kind) return null;
      var T = D.thumbs;
      return T.folder + '/' + Math.floor(i / T.perFolder) + '/' + i + '.' + T.extensions[kind - 1];
    }
    var t = D.thumbs.uris[i];
    // Only inline raster data URIs become <img> sources; anything else is treated as absent.
    return typeof t === 'string' && /^data:image\/(webp|png|jpeg|gif);base64,[A-Za-z0-9+\/=]*$/.test(t) ? t : null;
  }
`;
