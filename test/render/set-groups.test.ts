/** Maps with placed points: colouring by set (reference / new), in the groups and the static figure. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOMAIN_COLORS } from '../../src/render/domain-groups.js';
import { effectiveColorBy, groupPoints } from '../../src/render/groups.js';
import { buildFigureSvg } from '../../src/render/static/figure-svg.js';
import { syntheticPoints } from './synthetic.js';

function placed() {
  const { points, embedding } = syntheticPoints({ n: 50, classes: 3, k: 1, accuracy: 0.9, seed: 2 });
  points.sets = {
    names: ['reference', 'new'],
    ids: Int32Array.from({ length: 50 }, (_, i) => (i < 40 ? 0 : 1)),
  };
  return { points, embedding };
}

test('colour by set groups the reference and the placed points; without sets it falls back to labels', () => {
  const { points } = placed();
  assert.equal(effectiveColorBy(points, 'set'), 'set');
  const g = groupPoints(points, 'set');
  assert.deepEqual(g.names, ['reference', 'new']);
  assert.deepEqual(Array.from(g.counts), [40, 10]);
  assert.equal(effectiveColorBy({ ...points, sets: undefined }, 'set'), 'label');
});

test('the static figure by set: colour = set, marker = class, and says so', () => {
  const { points, embedding } = placed();
  const { svg } = buildFigureSvg(points, embedding, { colorBy: 'set' });
  assert.match(svg, /coloured by set \(reference map \/ placed points\), marker by class/);
  assert.match(svg, />reference</);
  assert.match(svg, />new</);
  assert.ok(svg.includes(DOMAIN_COLORS[0]) && svg.includes(DOMAIN_COLORS[1]));
});
