/** Escaping for names that are data (class names, file names), never markup. */

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for SVG/HTML element content and quoted attribute values. Also drops characters
 * that XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates), which would make
 * an SVG unparsable for resvg or a browser.
 */
export function escapeXml(text: string): string {
  return dropInvalidXmlChars(text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]));
}

/** True for a UTF-16 code unit XML 1.0 allows on its own (surrogates are checked in pairs). */
function allowedUnit(u: number): boolean {
  return u === 0x09 || u === 0x0a || u === 0x0d || (u >= 0x20 && u < 0xfffe);
}

function dropInvalidXmlChars(text: string): string {
  let out = '';
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    const high = u >= 0xd800 && u <= 0xdbff;
    const low = u >= 0xdc00 && u <= 0xdfff;
    const next = text.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      if (!clean) out += text.slice(i, i + 2);
      i++;
    } else if (!allowedUnit(u) || high || low) {
      if (clean) {
        out = text.slice(0, i);
        clean = false;
      }
      out += '\uFFFD';
    } else if (!clean) {
      out += text[i];
    }
  }
  return clean ? text : out;
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
 * etc. so `</script>` or `<!--` in a name cannot end the element, and U+2028/U+2029 are escaped
 * for older JavaScript parsers. `JSON.parse` gives back the identical value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
