import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  INLINE_THUMBNAILS_MAX_POINTS,
  PLOT_DEFAULTS,
  resolveThumbnailMode,
} from '../../src/pipeline/plot-options.js';
import { resolvePageThumbnails } from '../../src/pipeline/render-stage.js';
import type { PointSet } from '../../src/render/types.js';

test('--thumbnails auto is inline up to 50,000 points and a folder past them; explicit choices stay', () => {
  assert.equal(PLOT_DEFAULTS.thumbnailMode, 'auto');
  assert.equal(INLINE_THUMBNAILS_MAX_POINTS, 50_000);
  assert.equal(resolveThumbnailMode('auto', 50_000), 'inline');
  assert.equal(resolveThumbnailMode('auto', 50_001), 'folder');
  assert.equal(resolveThumbnailMode('inline', 1_000_000), 'inline');
  assert.equal(resolveThumbnailMode('folder', 10), 'folder');
});

test('inline thumbnails too long for one page go to a folder, with a warning; no thumbnails is "none"', () => {
  const n = 1_000_000;
  const uri = `data:image/webp;base64,${'A'.repeat(500)}`;
  const points = { n, thumbnails: new Array<string>(n).fill(uri) } as unknown as PointSet;
  const warnings: string[] = [];
  const plot = { ...PLOT_DEFAULTS, thumbnailMode: 'inline' as const };
  assert.equal(resolvePageThumbnails(plot, points, warnings), 'folder');
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /--thumbnails inline: 1000000 thumbnails \(523 MB\) do not fit in one page, so they were written to thumbnails\//,
  );
  assert.equal(resolvePageThumbnails(plot, { n, thumbnails: undefined } as unknown as PointSet), 'none');
  const small = { n: 10, thumbnails: new Array<string>(10).fill(uri) } as unknown as PointSet;
  assert.equal(resolvePageThumbnails(plot, small, warnings), 'inline');
  assert.equal(warnings.length, 1);
});
