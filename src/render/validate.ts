import { UserError } from '../errors.js';
import type { Embedding, PointSet } from './types.js';

/**
 * Checks that a PointSet and an Embedding agree in size and that every id is in range, so the
 * renderers can index without checks. Throws UserError naming the first inconsistency.
 */
export function validatePoints(points: PointSet, embedding?: Embedding): void {
  const { n, k } = points;
  const c = points.classes.length;
  const fail = (what: string): never => {
    throw new UserError(
      `Cannot draw the figure: ${what}. The predictions and the map must describe the same images in the same order; re-run the stage that produced them.`,
    );
  };
  if (!Number.isInteger(n) || n < 0) fail(`the point count ${n} is not a whole number`);
  if (points.paths.length !== n) fail(`there are ${points.paths.length} paths for ${n} points`);
  if (points.labelIds.length !== n) fail(`there are ${points.labelIds.length} labels for ${n} points`);
  if (!Number.isInteger(k) || k < 0) fail(`top-k ${k} is not a whole number`);
  if (points.topIds.length !== n * k || points.topConf.length !== n * k) {
    fail(`the top-${k} predictions hold ${points.topIds.length} ids for ${n} points`);
  }
  for (let i = 0; i < n; i++) {
    const l = points.labelIds[i];
    if (l < -1 || l >= c)
      fail(`point ${i} (${points.paths[i]}) has label id ${l} but there are ${c} classes`);
  }
  for (let i = 0; i < n * k; i++) {
    const t = points.topIds[i];
    if (t < 0 || t >= c)
      fail(`point ${Math.floor(i / k)} has predicted class id ${t} but there are ${c} classes`);
  }
  if (points.thumbnails && points.thumbnails.length !== n) {
    fail(`there are ${points.thumbnails.length} thumbnails for ${n} points`);
  }
  if (points.neighbors) {
    const nb = points.neighbors;
    if (nb.indices.length !== n * nb.k)
      fail(`the neighbour list holds ${nb.indices.length} entries for ${n} x ${nb.k}`);
    for (let i = 0; i < nb.indices.length; i++) {
      if (nb.indices[i] < 0 || nb.indices[i] >= n) fail(`neighbour index ${nb.indices[i]} is out of range`);
    }
  }
  if (points.sets) {
    const { names, ids } = points.sets;
    if (ids.length !== n) fail(`the set list holds ${ids.length} entries for ${n} points`);
    for (let i = 0; i < n; i++)
      if (ids[i] < 0 || ids[i] >= names.length) fail(`point ${i} has set id ${ids[i]}`);
  }
  for (const col of points.metadata?.columns ?? []) {
    if (col.values.length !== n)
      fail(`metadata column ${col.name} holds ${col.values.length} values for ${n} points`);
  }
  if (embedding) {
    if (embedding.dims !== 2 && embedding.dims !== 3) fail(`the map has ${embedding.dims} dimensions`);
    if (embedding.coords.length !== n * embedding.dims) {
      fail(`the ${embedding.method} map holds ${embedding.coords.length / embedding.dims} points, not ${n}`);
    }
    for (let i = 0; i < embedding.coords.length; i++) {
      if (!Number.isFinite(embedding.coords[i])) fail(`map coordinate ${i} is not finite`);
    }
  }
}
