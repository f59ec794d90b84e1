import { escapeXml, jsonForScript } from '../escape.js';
import type { Embedding, PointSet } from '../types.js';
import { validatePoints } from '../validate.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { CLIENT_STYLE } from './client-style.js';
import { exploreColorOptions } from './explore-data.js';
import { binaryBase64, buildPageData, type PageColorBy, type PageThumbnails } from './page-data.js';

export interface InteractivePageOptions {
  /** Default colouring; the page has a control to change it. */
  colorBy: PageColorBy;
  title: string;
  featscopeVersion?: string;
  /**
   * 'inline' (default): thumbnails as data URIs inside the page. `{ folder }`: the page loads point
   * i's thumbnail from `folder/<floor(i / 1000)>/<i>.<ext>` next to it on hover (write the folder
   * with `thumbnailFiles`); see docs/architecture.md, "Big maps".
   */
  thumbnails?: PageThumbnails;
}

// The script is a constant of ours; this guards against an edit that would end its element early.
if (/<\/script/i.test(CLIENT_SCRIPT) || /<\/style/i.test(CLIENT_STYLE)) {
  throw new Error('client script or style contains a closing tag');
}

/**
 * Why our own WebGL scatter and not plotly.js (compared with `npx tsx bench/pages/run.ts --plotly` in
 * headless Chromium without GPU; figures in bench/README.md, 'Interactive pages'): an inlined plotly
 * page weighs 4.6 MB before any data and loads slower than ours at every N; plotly's hover label cannot
 * show an image either, so a custom tooltip was needed in any case. How the page draws, stores its
 * data and loads thumbnails at a million points: docs/architecture.md, "Big maps".
 *
 * An interactive page for one map (2D: pan/zoom; 3D: orbit): all code, styles and data inline,
 * nothing fetched, so it works from `file://` offline. Thumbnails are inline too, or (option
 * `thumbnails: { folder }`) files in a folder next to the page that it shows with a relative
 * `<img src>` on hover. Names are data: the JSON is embedded with `<`, `>`, `&` escaped, and the page
 * only sets them as text.
 */
export function renderInteractivePage(
  points: PointSet,
  embedding: Embedding,
  opts: InteractivePageOptions,
): string {
  validatePoints(points, embedding);
  const { data, arrays } = buildPageData(points, embedding, opts);
  const title = escapeXml(opts.title);
  // Relative thumbnail files need 'self' (http) or file: (a page opened from disk); never the network.
  const imgSrc = data.thumbs?.mode === 'folder' ? "data: 'self' file:" : 'data:';
  const binary = Object.entries(arrays)
    .map(
      ([name, a]) =>
        `<script type="application/octet-stream" id="featscope-bin-${name}">${binaryBase64(a)}</script>\n`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="generator" content="featscope${opts.featscopeVersion ? ` ${escapeXml(opts.featscopeVersion)}` : ''}">
<title>${title}</title>
<style>${CLIENT_STYLE}</style>
</head>
<body>
<header>
<h1 id="fs-title">${title}</h1>
<span class="fs-meta" id="fs-meta"></span>
<span class="fs-spacer"></span>
<label>colour by <select id="fs-colorby">
<option value="label">true label</option>
<option value="prediction">predicted label</option>
<option value="correct">correct / wrong</option>
<option value="domain">domain (marker: class)</option>
${exploreColorOptions(points)}</select></label>
<span id="fs-tools" role="group" aria-label="drag tool"><button type="button" data-tool="pan" aria-pressed="true" title="drag pans (2D) or orbits (3D)">pan</button><button type="button" data-tool="box" aria-pressed="false" title="drag a box to select; shift adds, alt removes">box</button><button type="button" data-tool="lasso" aria-pressed="false" title="draw around points to select; shift adds, alt removes">lasso</button></span>
<label><input type="search" id="fs-search" placeholder="search path or class" aria-label="search by path or class name"> <span id="fs-search-count" aria-live="polite"></span></label>
<button type="button" id="fs-search-select" hidden title="select the matches (shift: add them to the selection)">select matches</button>
<label><input type="checkbox" id="fs-highlight"> highlight misclassified</label>
<label>point size <input type="range" id="fs-size" min="0.4" max="3" step="0.1" value="1"></label>
<button type="button" id="fs-reset">reset view</button>
</header>
<main>
<div id="fs-plot">
<canvas id="fs-canvas" aria-label="scatter plot of the map"></canvas>
<canvas id="fs-overlay" aria-hidden="true"></canvas>
<div id="fs-status"><span id="fs-shown"></span> · <span id="fs-help"></span></div>
<div id="fs-tooltip" hidden></div>
<svg id="fs-lasso" aria-hidden="true"><path id="fs-lasso-path" d=""/></svg>
</div>
<aside id="fs-selection" hidden>
<div class="fs-head"><h2 id="fs-sel-title">0 selected</h2><button type="button" id="fs-export">export CSV</button><button type="button" id="fs-sel-clear">clear</button></div>
<ul id="fs-sel-list"></ul>
<p id="fs-sel-more"></p>
</aside>
<aside id="fs-details" hidden>
<div class="fs-head"><h2>selected image</h2><button type="button" id="fs-close" aria-label="close">✕</button></div>
<div id="fs-details-body"></div>
</aside>
<aside id="fs-legend">
<header><h2 id="fs-legend-title">classes</h2><button type="button" id="fs-all">all</button><button type="button" id="fs-none">none</button></header>
<input type="search" id="fs-filter" placeholder="filter classes" hidden>
<ul id="fs-legend-list"></ul>
</aside>
</main>
<noscript>This page needs JavaScript to draw the map. The data is in the featscope-data element.</noscript>
<script type="application/json" id="featscope-data">${jsonForScript(data)}</script>
${binary}<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
