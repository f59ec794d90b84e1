/** The pages' own colourings (confidence, set, metadata columns) resolved against the points. */
import { isPageOnlyColorBy, type PageColorBy } from '../render/html/page-color-by.js';
import type { PointSet } from '../render/types.js';
import type { PlotOptions } from './plot-options.js';

/**
 * The page-only colouring asked for, when the points can be drawn so: confidence needs predictions,
 * set a placed map, a metadata column that column. Null for the figure's colourings, and for a
 * page-only colouring the points lack (the caller then falls back and warns).
 */
export function pageOnlyColorBy(colorBy: PlotOptions['colorBy'], points: PointSet): PageColorBy | null {
  if (!isPageOnlyColorBy(colorBy)) return null;
  if (colorBy === 'confidence') return points.k > 0 ? colorBy : null;
  const name = colorBy.slice('metadata:'.length);
  return points.metadata?.columns.some((c) => c.name === name) ? colorBy : null;
}
