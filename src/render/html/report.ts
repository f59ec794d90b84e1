import { escapeXml } from '../escape.js';
import { METHOD_NAMES } from '../static/figure-svg.js';
import type { ClassificationSummary, ReportData, ReportEmbedding } from '../types.js';
import { confusionSvg, topConfusions } from './confusion.js';
import { domainSection } from './domain-section.js';
import { REPORT_STYLE } from './report-style.js';

const e = escapeXml;

/** Largest inline SVG figure, in characters, when a PNG alternative is given. */
const INLINE_SVG_MAX = 2_000_000;

function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(2)}%`;
}

function num(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  const units = ['B', 'kB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return ` (${u === 0 ? v : v.toFixed(1)} ${units[u]})`;
}

/**
 * A link to an output file, only for relative paths: anything with a scheme (`javascript:`,
 * `http:`) or an absolute path is shown as text, since the report must work offline from disk.
 */
function link(href: string, text: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/') || href.startsWith('\\')) return e(text);
  return `<a href="${e(encodeURI(href))}">${e(text)}</a>`;
}

function card(value: string, label: string): string {
  return `<div class="card"><div class="v">${e(value)}</div><div class="l">${e(label)}</div></div>`;
}

function embeddingRows(list: ReportEmbedding[]): string {
  return list
    .map((m) => {
      const name = `${METHOD_NAMES[m.method]} ${m.dims}D`;
      return (
        `<tr><td>${m.pageHref ? link(m.pageHref, name) : e(name)}</td>` +
        `<td class="num">${num(m.metrics.trustworthiness)}</td><td class="num">${num(m.metrics.knnPreservation)}</td>` +
        `<td class="num">${num(m.metrics.knnLabelAccuracy)}</td><td class="num">${num(m.metrics.klDivergence)}</td>` +
        `<td class="num">${m.metrics.neighbors ?? '–'}</td><td class="num">${num(m.seconds, 1)}</td></tr>`
      );
    })
    .join('');
}

function perClassTable(classes: string[], s: ClassificationSummary): string {
  const rows = s.perClass
    .map((p, i) => {
      const w = p.accuracy === null ? 0 : Math.round(p.accuracy * 160);
      return (
        `<tr><td class="num">${i}</td><td>${e(classes[i])}</td><td class="num">${p.count}</td><td class="num">${p.correct}</td>` +
        `<td class="num">${pct(p.accuracy)}</td><td><span class="barbox"><span class="bar" style="width:${w}px"></span></span></td></tr>`
      );
    })
    .join('');
  return (
    `<div class="scroll"><table><thead><tr><th class="num">id</th><th>class</th><th class="num">images</th>` +
    `<th class="num">correct</th><th class="num">accuracy</th><th>top-1 accuracy</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

function confusionSection(classes: string[], s: ClassificationSummary): string {
  const { svg, aggregated } = confusionSvg(s.confusion, classes);
  const pairs = topConfusions(s.confusion, classes.length, 20);
  const pairRows = pairs
    .map(([i, j, count]) => {
      const share = s.perClass[i].count > 0 ? count / s.perClass[i].count : 0;
      return `<tr><td>${e(classes[i])}</td><td>${e(classes[j])}</td><td class="num">${count}</td><td class="num">${pct(share)}</td></tr>`;
    })
    .join('');
  const note = aggregated
    ? `Showing the 40 classes involved in the most errors out of ${classes.length} (rows are true labels, columns predictions, colour the share of the row).`
    : 'Rows are true labels, columns top-1 predictions; colour is the share of the row (square-root scale, so small error rates stay visible). Hover a cell for its count.';
  return (
    `<section id="confusion"><h2>Confusion matrix</h2><p class="note">${note}</p><div class="wide">${svg}</div>` +
    (pairRows
      ? `<h3>Most frequent confusions</h3><table><thead><tr><th>true label</th><th>predicted</th><th class="num">images</th><th class="num">share of class</th></tr></thead><tbody>${pairRows}</tbody></table>`
      : '<p>No misclassified images.</p>') +
    '</section>'
  );
}

function keyValueTable(entries: [string, string][]): string {
  return `<table><tbody>${entries.map(([k, v]) => `<tr><th>${e(k)}</th><td><code>${e(v)}</code></td></tr>`).join('')}</tbody></table>`;
}

/**
 * The run's `index.html`: accuracy, per-class accuracy, confusion heat map, embedding quality,
 * the static figure, links to every output and the run's settings. Self-contained (inline CSS
 * and SVG, no script); every name is escaped.
 */
export function renderReport(data: ReportData): string {
  const s = data.summary;
  const cards = [
    card(data.n.toLocaleString('en-US'), 'images'),
    card(data.classes.length.toLocaleString('en-US'), 'classes'),
  ];
  if (s && s.accuracy !== null) {
    cards.push(card(pct(s.accuracy), 'top-1 accuracy'));
    if (s.k > 1) cards.push(card(pct(s.topKAccuracy), `top-${s.k} accuracy`));
  }
  const best = data.embeddings.find(
    (m) => m.metrics.trustworthiness !== undefined && m.metrics.trustworthiness !== null,
  );
  if (best)
    cards.push(
      card(
        num(best.metrics.trustworthiness, 3),
        `trustworthiness (${METHOD_NAMES[best.method]} ${best.dims}D)`,
      ),
    );

  const sections: string[] = [];
  if (data.figure && (data.figure.svg || data.figure.pngDataUri)) {
    const pages = data.embeddings.filter((m) => m.pageHref);
    // A scatter SVG grows ~90 bytes per point: above ~2 MB (about 20k points) the PNG is lighter.
    const preferPng =
      !!data.figure.pngDataUri && (!data.figure.svg || data.figure.svg.length > INLINE_SVG_MAX);
    const inner =
      !preferPng && data.figure.svg
        ? data.figure.svg
        : /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(data.figure.pngDataUri ?? '')
          ? `<img src="${data.figure.pngDataUri}" alt="${e(data.figure.caption ?? 'map')}">`
          : '';
    sections.push(
      `<section id="map"><h2>Map</h2><figure>${inner}<figcaption>${e(data.figure.caption ?? '')}</figcaption></figure>` +
        (pages.length
          ? `<p>Interactive pages (hover a point to see its image): ${pages.map((m) => link(m.pageHref!, `${METHOD_NAMES[m.method]} ${m.dims}D`)).join(' · ')}</p>`
          : '') +
        '</section>',
    );
  }
  if (s && s.accuracy !== null) {
    sections.push(
      `<section id="accuracy"><h2>Accuracy</h2><p>Top-1 accuracy <b>${pct(s.accuracy)}</b>` +
        (s.k > 1 ? `, top-${s.k} accuracy <b>${pct(s.topKAccuracy)}</b>` : '') +
        ` over ${s.labelled.toLocaleString('en-US')} labelled images.</p>${perClassTable(data.classes, s)}</section>`,
    );
    sections.push(confusionSection(data.classes, s));
  } else if (s) {
    sections.push(
      '<section id="accuracy"><h2>Accuracy</h2><p>No predictions with labels in this run, so no accuracy.</p></section>',
    );
  } // no predictions at all (features and labels from elsewhere): no accuracy section
  if (data.domains?.length) {
    // Right after the overall accuracy: the number a domain-adaptation reader looks for first.
    const at = sections.findIndex((x) => x.startsWith('<section id="accuracy"'));
    sections.splice(at + 1, 0, domainSection(data.domains, s?.k ?? 0));
  }
  if (data.embeddings.length) {
    sections.push(
      `<section id="quality"><h2>Embedding quality</h2><table><thead><tr><th>map</th><th class="num">trustworthiness</th>` +
        `<th class="num">kNN preservation</th><th class="num">kNN label accuracy</th><th class="num">KL divergence</th>` +
        `<th class="num">k</th><th class="num">seconds</th></tr></thead><tbody>${embeddingRows(data.embeddings)}</tbody></table>` +
        `<p class="note">Trustworthiness (Venna &amp; Kaski 2001): 1 means no false neighbours in the map. kNN preservation: share of each image's k nearest feature-space neighbours that stay among its k nearest in the map. kNN label accuracy: leave-one-out k-NN classification of true labels in the map (labelled images only). KL divergence: the final t-SNE objective.</p></section>`,
    );
  }
  sections.push(
    `<section id="files"><h2>Output files</h2><ul class="files">${data.files
      .map((f) => `<li>${link(f.href, f.href)}${e(bytes(f.bytes))}: ${e(f.description)}</li>`)
      .join('')}</ul></section>`,
  );
  const info: [string, string][] = data.model.path ? [['model', data.model.path]] : [];
  if (data.model.sha256) info.push(['model sha256', data.model.sha256]);
  if (data.model.layer) info.push(['feature layer', data.model.layer]);
  if (data.model.featureDims) info.push(['feature dimensions', String(data.model.featureDims)]);
  if (data.dataRoot) info.push(['data', data.dataRoot]);
  if (data.featscopeVersion) info.push(['featscope', data.featscopeVersion]);
  if (data.createdAt) info.push(['created', data.createdAt]);
  const options = Object.entries(data.options).map(([k, v]): [string, string] => [
    k,
    JSON.stringify(v) ?? String(v),
  ]);
  const stages = Object.entries(data.stageSeconds);
  const total = stages.reduce((a, [, v]) => a + v, 0);
  sections.push(
    `<section id="run"><h2>Run</h2>${keyValueTable(info)}<h3>Options</h3>${keyValueTable(options)}` +
      `<h3>Time per stage</h3><table><tbody>${stages.map(([k, v]) => `<tr><th>${e(k)}</th><td class="num">${v.toFixed(2)} s</td></tr>`).join('')}` +
      `<tr><th>total</th><td class="num"><b>${total.toFixed(2)} s</b></td></tr></tbody></table></section>`,
  );
  if (data.skipped?.length) {
    sections.push(
      `<section id="skipped"><h2>Skipped images (${data.skipped.length})</h2><details><summary>show</summary><div class="scroll"><table><tbody>${data.skipped
        .map((k) => `<tr><td><code>${e(k.path)}</code></td><td>${e(k.reason)}</td></tr>`)
        .join('')}</tbody></table></div></details></section>`,
    );
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${e(data.title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body><main>
<h1>${e(data.title)}</h1>
<p class="sub">${e([data.model.path, data.dataRoot ?? '', data.createdAt ?? ''].filter(Boolean).join(' · '))}</p>
<div class="cards">${cards.join('')}</div>
${sections.join('\n')}
</main></body>
</html>
`;
}
