/** The domain-adaptation encoding (colour = domain, marker = class) and accuracy per domain. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASS_KEY_COLOR, DOMAIN_COLORS, domainGroups } from '../../src/render/domain-groups.js';
import { effectiveColorBy, groupPoints } from '../../src/render/groups.js';
import { renderReport } from '../../src/render/html/report.js';
import { buildFigureSvg } from '../../src/render/static/figure-svg.js';
import { markerFor } from '../../src/render/static/markers.js';
import { computeClassificationSummary, computeDomainSummary } from '../../src/render/summary.js';
import { syntheticPoints } from './synthetic.js';

function twoDomains() {
  const { points, embedding } = syntheticPoints({ n: 60, classes: 4, k: 2, accuracy: 0.8, seed: 5 });
  // Points 0..29 are the source, 30..59 the target; the target's last 10 are unlabelled.
  points.domains = {
    names: ['source', 'target'],
    ids: Int32Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : 1)),
  };
  for (let i = 50; i < 60; i++) points.labelIds[i] = -1;
  return { points, embedding };
}

test('each point is coloured by its domain and marked by its class (true, else predicted)', () => {
  const { points } = twoDomains();
  const g = domainGroups(points);
  for (let i = 0; i < points.n; i++) {
    const cls = points.labelIds[i] >= 0 ? points.labelIds[i] : points.topIds[i * points.k];
    assert.equal(g.colors[g.groupOf[i]], DOMAIN_COLORS[points.domains!.ids[i]]);
    assert.equal(g.shapes[g.groupOf[i]], markerFor(cls));
  }
  // Legend: the two domains with their counts, then the classes with points, in class order.
  assert.deepEqual(
    g.legend.slice(0, 2).map((e) => [e.name, e.color, e.count]),
    [
      ['source', DOMAIN_COLORS[0], 30],
      ['target', DOMAIN_COLORS[1], 30],
    ],
  );
  assert.ok(g.legend.slice(2).every((e) => e.color === CLASS_KEY_COLOR));
  assert.equal(
    g.legend.slice(2).reduce((a, e) => a + e.count, 0),
    60,
  );
});

test('colour by domain needs two domains; otherwise it falls back as the other colourings do', () => {
  const { points } = twoDomains();
  assert.equal(effectiveColorBy(points, 'domain'), 'domain');
  assert.deepEqual(groupPoints(points, 'domain').names, ['source', 'target']);
  const single = { ...points, domains: undefined };
  assert.equal(effectiveColorBy(single, 'domain'), 'label');
});

test("accuracy per domain counts each domain's labelled points only", () => {
  const { points } = twoDomains();
  const byDomain = computeDomainSummary(points)!;
  const all = computeClassificationSummary(points);
  assert.deepEqual(
    byDomain.map((d) => [d.name, d.n, d.labelled]),
    [
      ['source', 30, 30],
      ['target', 30, 20],
    ],
  );
  let hits = 0;
  for (let i = 30; i < 50; i++) if (points.topIds[i * points.k] === points.labelIds[i]) hits++;
  assert.equal(byDomain[1].accuracy, hits / 20);
  // The domains' correct counts add up to the overall accuracy.
  const correct = byDomain.reduce((a, d) => a + (d.accuracy ?? 0) * d.labelled, 0);
  assert.ok(Math.abs(correct / all.labelled - all.accuracy!) < 1e-12);
  assert.equal(computeDomainSummary({ ...points, domains: undefined }), null);
});

test('the figure and the report show the domains', () => {
  const { points, embedding } = twoDomains();
  const fig = buildFigureSvg(points, embedding, { colorBy: 'domain' });
  // The target's unlabelled images show their predicted class; the subtitle says so.
  assert.match(fig.svg, /coloured by domain, marker by class \(predicted where unlabelled\) · 4 classes/);
  const labelled = {
    ...points,
    labelIds: points.labelIds.map((l, i) => (l < 0 ? points.topIds[i * points.k] : l)),
  };
  assert.match(buildFigureSvg(labelled, embedding, { colorBy: 'domain' }).svg, /marker by class · 4 classes/);
  // Two domains, three of the four classes with points: the subtitle counts classes, not domains.
  for (let i = 0; i < points.n; i++) {
    if (points.labelIds[i] === 3) points.labelIds[i] = 0;
    if (points.labelIds[i] < 0 && points.topIds[i * points.k] === 3) points.topIds[i * points.k] = 0;
  }
  assert.match(buildFigureSvg(points, embedding, { colorBy: 'domain' }).svg, /· 3 of 4 classes/);
  const fills = new Set([...fig.svg.matchAll(/<path fill="(#[0-9a-f]{6})" d=/g)].map((m) => m[1]));
  assert.ok(fills.has(DOMAIN_COLORS[0]) && fills.has(DOMAIN_COLORS[1]) && fills.has(CLASS_KEY_COLOR));
  const html = renderReport({
    title: 't',
    model: { path: 'm.onnx' },
    n: points.n,
    classes: points.classes,
    summary: computeClassificationSummary(points),
    embeddings: [],
    files: [],
    options: {},
    stageSeconds: {},
    domains: computeDomainSummary(points),
  });
  assert.match(html, /<h2>Accuracy per domain<\/h2>/);
  assert.match(html, /<td>target<\/td><td class="num">30<\/td><td class="num">20<\/td>/);
  // Right after the overall accuracy.
  assert.ok(html.indexOf('id="accuracy"') < html.indexOf('id="domains"'));
  assert.ok(html.indexOf('id="domains"') < html.indexOf('id="confusion"'));
});
