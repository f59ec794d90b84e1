import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeClassificationSummary } from '../../src/render/summary.js';
import type { PointSet } from '../../src/render/types.js';

function points(labels: number[], tops: number[][], classes = ['a', 'b', 'c']): PointSet {
  const k = tops[0]?.length ?? 0;
  return {
    n: labels.length,
    classes,
    paths: labels.map((_, i) => `p${i}.png`),
    labelIds: Int32Array.from(labels),
    topIds: Int32Array.from(tops.flat()),
    topConf: new Float32Array(labels.length * k).fill(0.5),
    k,
  };
}

test('accuracy, top-k accuracy, per-class accuracy and confusion on a hand-checked example', () => {
  // true: a a b b c -1 ; top1: a b b a c a ; label in top-2 for points 0,1,2,4 (point 3: [a, c]).
  const s = computeClassificationSummary(
    points(
      [0, 0, 1, 1, 2, -1],
      [
        [0, 1],
        [1, 0],
        [1, 2],
        [0, 2],
        [2, 0],
        [0, 1],
      ],
    ),
  );
  assert.equal(s.labelled, 5);
  assert.equal(s.accuracy, 3 / 5);
  assert.equal(s.topKAccuracy, 4 / 5);
  assert.deepEqual(
    s.perClass.map((p) => [p.count, p.correct]),
    [
      [2, 1],
      [2, 1],
      [1, 1],
    ],
  );
  assert.deepEqual(Array.from(s.confusion), [1, 1, 0, 1, 1, 0, 0, 0, 1]);
});

test('no predictions or no labels give null accuracies and an empty matrix', () => {
  const none = computeClassificationSummary(points([-1, -1], [[], []]));
  assert.equal(none.accuracy, null);
  assert.equal(none.topKAccuracy, null);
  assert.equal(none.perClass[0].accuracy, null);
  assert.ok(none.confusion.every((v) => v === 0));
});
