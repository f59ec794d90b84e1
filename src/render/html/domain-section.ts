import { escapeXml as e } from '../escape.js';
import type { DomainSummary } from '../types.js';

function pct(v: number | null): string {
  return v === null ? '–' : `${(v * 100).toFixed(2)}%`;
}

/** The report's "Accuracy per domain" table (runs with several `--data NAME=DIR`). */
export function domainSection(domains: DomainSummary[], k: number): string {
  const rows = domains
    .map(
      (d) =>
        `<tr><td>${e(d.name)}</td><td class="num">${d.n.toLocaleString('en-US')}</td><td class="num">${d.labelled.toLocaleString('en-US')}</td>` +
        `<td class="num">${pct(d.accuracy)}</td>${k > 1 ? `<td class="num">${pct(d.topKAccuracy)}</td>` : ''}</tr>`,
    )
    .join('');
  return (
    `<section id="domains"><h2>Accuracy per domain</h2><table><thead><tr><th>domain</th><th class="num">images</th>` +
    `<th class="num">labelled</th><th class="num">top-1 accuracy</th>${k > 1 ? `<th class="num">top-${k} accuracy</th>` : ''}</tr></thead>` +
    `<tbody>${rows}</tbody></table><p class="note">Accuracy counts the labelled images of each domain only ("–": the domain has no labels).</p></section>`
  );
}
