// The interactive page's script, inlined into every page (no network, works from file://).
// Plain ES2017 in a string: the page has no build step and no dependencies. It reads
// <script id="featscope-data">, draws with a 2D canvas (marker coverage masks composited into one
// ImageData per frame, a depth bucket sort in 3D) and finds the hovered point with a uniform screen
// grid. Names from the data are only ever set through textContent / attributes, never parsed as HTML.
import { CLIENT_COLOR_SCALE } from './client/color-scale.js';
import { CLIENT_DATA } from './client/data.js';
import { CLIENT_DRAW } from './client/draw.js';
import { CLIENT_EXPORT } from './client/export.js';
import { CLIENT_SEARCH } from './client/search.js';
import { CLIENT_SELECT } from './client/select.js';
import { CLIENT_STATE } from './client/state.js';
import { CLIENT_UI } from './client/ui.js';

/** The whole page script: the parts share one strict-mode function scope. */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
${CLIENT_COLOR_SCALE}${CLIENT_DATA}${CLIENT_STATE}${CLIENT_DRAW}${CLIENT_UI}${CLIENT_SELECT}${CLIENT_EXPORT}${CLIENT_SEARCH}})();
`;
