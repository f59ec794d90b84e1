/**
 * Options of the render stage, apart from the renderers themselves, so that option parsing (the CLI)
 * does not load the figure and page code.
 */
import type { ColorBy } from '../render/types.js';

export interface PlotOptions {
  colorBy: ColorBy;
  thumbnails: boolean;
}

export const PLOT_DEFAULTS: Readonly<PlotOptions> = Object.freeze({ colorBy: 'label', thumbnails: true });
