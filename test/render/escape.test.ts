import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXml, jsonForScript } from '../../src/render/escape.js';

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '</script><script>window.__pwned=1</script>',
  `quote " and ' and, comma`,
  'Ünïcødé 猫 кошка \u2028 line \u2029 para',
  '<!-- comment & ampersand',
];

test('escapeXml leaves no markup characters and keeps the text', () => {
  for (const s of HOSTILE) {
    const out = escapeXml(s);
    assert.doesNotMatch(out, /[<>"']/);
    const back = out
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.equal(back, s);
  }
});

test('escapeXml replaces characters XML forbids and keeps surrogate pairs', () => {
  assert.equal(escapeXml('a\u0001b\uD800c'), 'a\uFFFDb\uFFFDc');
  assert.equal(escapeXml('emoji 🐈 ok\ttab'), 'emoji 🐈 ok\ttab');
});

test('jsonForScript cannot close its script element and parses back to the same value', () => {
  const value = { names: HOSTILE, n: 3 };
  const json = jsonForScript(value);
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), value);
});
