import type { ColorBy } from '../types.js';

/**
 * What an interactive page can open coloured by: the figure's colourings, the top-1 confidence
 * (continuous, with a colour bar) or a metadata column (`metadata:NAME`). The
 * page falls back to the label colouring when the points lack what was asked for.
 */
export type PageColorBy = ColorBy | 'confidence' | `metadata:${string}`;

/** True for the colourings only the pages draw (not the static figure). */
export function isPageOnlyColorBy(c: PageColorBy | 'auto'): c is 'confidence' | `metadata:${string}` {
  return c === 'confidence' || c.startsWith('metadata:');
}
