import type { ColorBy } from '../types.js';

/**
 * What an interactive page can open coloured by: the figure's colourings, the top-1 confidence
 * (continuous, with a colour bar), the placed-map set, or a metadata column (`metadata:NAME`). The
 * page falls back to the label colouring when the points lack what was asked for.
 */
export type PageColorBy = ColorBy | 'confidence' | 'set' | `metadata:${string}`;

/** True for the colourings only the pages draw (not the static figure). */
export function isPageOnlyColorBy(c: PageColorBy | 'auto'): c is 'confidence' | 'set' | `metadata:${string}` {
  return c === 'confidence' || c === 'set' || c.startsWith('metadata:');
}
