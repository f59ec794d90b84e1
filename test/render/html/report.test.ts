import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { computeClassificationSummary, renderFigureSvg, renderReport } from '../../../src/render/index.js';
import type { ReportData } from '../../../src/render/types.js';
import { launchChromium, networkRequests, recordPage } from '../browser.js';
import { syntheticPoints } from '../synthetic.js';

function reportData(classes: string[] | number, n = 600): ReportData {
  const { points, embedding } = syntheticPoints({ n, classes, accuracy: 0.8 });
  return {
    title: 'featscope report',
    featscopeVersion: '0.1.0',
    model: { path: 'model.onnx', sha256: 'f'.repeat(64), layer: 'fc1' },
    dataRoot: 'data',
    n,
    classes: points.classes,
    summary: computeClassificationSummary(points),
    embeddings: [
      {
        method: 'tsne',
        dims: 2,
        metrics: {
          trustworthiness: 0.9712,
          knnPreservation: 0.4,
          knnLabelAccuracy: 0.85,
          klDivergence: 1.5,
          neighbors: 10,
        },
        seconds: 2,
        pageHref: 'tsne-2d.html',
      },
    ],
    figure: { svg: renderFigureSvg(points, embedding), caption: 't-SNE 2D' },
    files: [
      { href: 'predictions.csv', description: 'predictions', bytes: 2048 },
      { href: 'tsne 2d.png', description: 'figure' },
      { href: 'javascript:alert(1)', description: 'not a file' },
    ],
    options: { perplexity: 30, method: ['tsne'] },
    stageSeconds: { classify: 1.5, tsne: 2 },
    skipped: [{ path: '<b>bad</b>.png', reason: 'cannot decode' }],
  };
}

test('the report shows accuracy, per-class rows, a confusion heat map, metrics, links and run info', () => {
  const names = ['cat <b>', 'dog & co', 'bird "x"'];
  const data = reportData(names);
  const html = renderReport(data);
  const s = data.summary!;
  assert.ok(html.includes(`${(s.accuracy! * 100).toFixed(2)}%`));
  assert.ok(html.includes(`top-3 accuracy`));
  assert.ok(
    html.includes('cat &lt;b&gt;') && html.includes('dog &amp; co') && html.includes('bird &quot;x&quot;'),
  );
  assert.doesNotMatch(html, /cat <b>|<b>bad/);
  assert.equal((html.match(/<svg[^>]*class="confusion"/g) ?? []).length, 1);
  // 3 x 3 cells, each a rect inside the confusion SVG.
  const confusion = /<svg[^>]*class="confusion"[\s\S]*?<\/svg>/.exec(html)![0];
  assert.equal(confusion.match(/<rect /g)?.length, 9);
  assert.ok(html.includes('0.9712'));
  assert.ok(
    html.includes('href="predictions.csv"') &&
      html.includes('href="tsne%202d.png"') &&
      html.includes('href="tsne-2d.html"'),
  );
  assert.doesNotMatch(html, /href="javascript:/);
  assert.ok(html.includes('<g id="points"'));
  assert.doesNotMatch(html, /<script/);
});

test('with 300 classes the heat map is limited to the classes with the most errors', () => {
  const html = renderReport(reportData(300, 3000));
  const confusion = /<svg[^>]*class="confusion"[\s\S]*?<\/svg>/.exec(html)![0];
  assert.equal(confusion.match(/<rect /g)?.length, 40 * 40);
  assert.ok(html.includes('Showing the 40 classes'));
});

test('a run without predictions has no accuracy section; predictions without labels say why there is none', () => {
  const html = renderReport({ ...reportData(3), summary: null });
  assert.doesNotMatch(html, /id="accuracy"|class="confusion"/);
  const data = reportData(3);
  const unlabelled = renderReport({
    ...data,
    summary: { ...data.summary!, labelled: 0, accuracy: null, topKAccuracy: null },
  });
  assert.match(unlabelled, /id="accuracy"[\s\S]*no accuracy/);
  assert.doesNotMatch(unlabelled, /class="confusion"/);
});

test('the report opens in chromium with no errors and no requests', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'featscope-report-'));
  const file = join(dir, 'index.html');
  writeFileSync(file, renderReport(reportData(['a', 'b', 'c', 'd'])));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const log = recordPage(page);
    await page.goto(pathToFileURL(file).href);
    assert.equal(await page.locator('#confusion svg rect').count(), 16);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(networkRequests(log), []);
  } finally {
    await browser.close();
  }
});
