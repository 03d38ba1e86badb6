import type { DiffReport } from '../compare/report-schema.js';
import {
  count,
  expectedMark,
  gridLine,
  interestingLayers,
  noteLine,
  signedCycles,
  stat,
  summaryLine,
  toleranceText,
  unitsText,
  value,
} from './figures.js';
import { escapeMarkup as escape } from '../text.js';

// Laid out for a 1,400 px window: numbers never break inside a token, long paths wrap at slashes in a bounded
// column, and wide tables scroll instead of squeezing their cells (checked in headless Chromium by the tests).
const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1320px}h1 .pass{color:#137333}h1 .fail{color:#b3261e}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top}
td:first-child,th:first-child{text-align:left}td.num,th{white-space:nowrap;font-variant-numeric:tabular-nums}
td.path{max-width:30ch;overflow-wrap:anywhere}td.text{text-align:left;max-width:40ch;overflow-wrap:anywhere}
tr.fail td{background:#fde7e9}code{font-size:13px}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.5em}
figure{display:inline-block;margin:1em 1em 1em 0}figcaption{font-size:13px;max-width:480px}`;

/** A layer path that may wrap after each slash, so a long group path never forces the table wider. */
const wrappablePath = (path: string): string => escape(path).replaceAll('/', '/<wbr>');

/** How each product was made: the recorded command lines (secrets already replaced) and the parameters that differ. */
function provenance(report: DiffReport): string {
  const { reference, candidate, parameters, versions } = report.provenance;
  const line = (label: string, entry: typeof reference): string =>
    `<h3>${label}</h3>${entry ? `<p><code>${escape(entry.attribute)}</code></p><pre>${escape(entry.commandLine)}</pre>` : '<p>(no command line recorded)</p>'}`;
  const changed = parameters
    .map(
      (p) =>
        `<li><code>--${escape(p.name)}</code>${p.informational ? ' (info)' : ''}: ${escape(p.reference?.join(' ') ?? '(absent)')} → ${escape(p.candidate?.join(' ') ?? '(absent)')}</li>`,
    )
    .join('\n');
  const software = versions
    .filter((v) => v.changed)
    .map(
      (v) =>
        `<li><code>${escape(v.path)}@${escape(v.name)}</code>: ${escape(value(v.reference))} → ${escape(value(v.candidate))}</li>`,
    )
    .join('\n');
  return `<h2>Provenance</h2>${line('Reference', reference)}${line('Candidate', candidate)}
<h3>Parameters that differ</h3>${changed ? `<ul>${changed}</ul>` : '<p>none</p>'}${software ? `<h3>Software versions that differ</h3><ul>${software}</ul>` : ''}`;
}

export interface HtmlOptions {
  /** Links (relative to the report directory) to each product's browse image, where it has one. */
  readonly browse?: { readonly reference?: string | undefined; readonly candidate?: string | undefined };
}

/** index.html of a report directory: summary, failures, tables, and the difference maps. */
export function formatHtml(report: DiffReport, options: HtmlOptions = {}): string {
  const browse = (href: string | undefined): string =>
    href === undefined ? '' : ` · <a href="${escape(href)}">browse image</a>`;
  const layerRow = (l: DiffReport['layers'][number]): string =>
    `<tr class="${l.verdict}"><td class="path"><code>${wrappablePath(l.path)}</code></td><td>${l.verdict}</td><td class="text">${escape(unitsText(l.units))}</td><td class="num">${count(l.validReference)} / ${count(l.validCandidate)}</td>` +
    `<td class="num">${count(l.nanMismatch)}</td><td class="num">${stat(l.maxAbsDiff)}</td><td class="num">${stat(l.meanAbsDiff)}</td><td class="num">${stat(l.rmse)}</td><td class="num">${stat(l.p99AbsDiff)}</td>` +
    `<td class="num">${count(l.exceeding)}</td><td class="num">${escape(toleranceText(l.tolerance))}</td><td class="text">${escape(l.ambiguities.map((a) => `${a.component}: ${signedCycles(a.k)} (${count(a.pixels)} px)`).join('; '))}</td></tr>`;
  const header =
    '<tr><th>layer</th><th>verdict</th><th>units</th><th>valid ref / cand</th><th>NaN mismatch</th><th>max |Δ|</th><th>mean |Δ|</th><th>RMSE</th><th>p99 |Δ|</th><th>exceeding</th><th>tolerance</th><th>2π ambiguities</th></tr>';
  // What needs a reader's eyes comes first; layers that pass without anything to explain are folded away.
  const notable = new Set(interestingLayers(report));
  const shown = report.layers.filter((l) => notable.has(l));
  const folded = report.layers.filter((l) => !notable.has(l));
  const layersSection =
    (shown.length > 0
      ? `<div class="scroll"><table>${header}\n${shown.map(layerRow).join('\n')}</table></div>`
      : '<p>No layer failed or needed explaining.</p>') +
    (folded.length > 0
      ? `<details><summary>${folded.length} layer${folded.length === 1 ? '' : 's'} that pass${folded.length === 1 ? 'es' : ''}</summary><div class="scroll"><table>${header}\n${folded.map(layerRow).join('\n')}</table></div></details>`
      : '');
  const maps = report.layers
    .filter((l) => l.diffMap)
    .map(
      (l) =>
        `<figure><img src="${escape(l.diffMap!)}" alt="difference map of ${escape(l.path)}"><figcaption><code>${escape(l.path)}</code>: ${escape(l.reasons.join('; ') || 'pass')}</figcaption></figure>`,
    )
    .join('\n');
  const attributes = report.attributes
    .map(
      (a) =>
        `<tr><td class="path"><code>${wrappablePath(a.path)}</code></td><td>${escape(a.name)}${a.informational ? ' (info)' : ''}</td><td>${escape(expectedMark(a.expected))}${a.change}</td><td class="text">${escape(value(a.reference))}</td><td class="text">${escape(value(a.candidate))}</td></tr>`,
    )
    .join('\n');
  const texts = report.textVariables
    .map(
      (t) =>
        `<li>${escape(expectedMark(t.expected))}<code>${escape(t.path)}</code>: ${escape(JSON.stringify(t.reference))} → ${escape(JSON.stringify(t.candidate))}</li>`,
    )
    .join('\n');
  const grids = report.grids
    .filter((g) => !g.aligned)
    .map((g) => `<li>${escape(gridLine(g))}</li>`)
    .join('\n');
  const notes = report.representation.map((n) => `<li>${escape(noteLine(n))}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gunw diff: ${report.verdict}</title><style>${STYLE}</style></head>
<body>
<h1>gunw diff: <span class="${report.verdict}">${report.verdict.toUpperCase()}</span></h1>
<p>Reference <code>${escape(report.reference)}</code>${browse(options.browse?.reference)}<br>Candidate <code>${escape(report.candidate)}</code>${browse(options.browse?.candidate)}<br>Profile <code>${escape(report.options.profile)}</code> · ${report.elapsedSeconds.toFixed(2)} s</p>
<p>${escape(summaryLine(report))}</p>
${report.failures.length ? `<h2>Failures</h2><ul>${report.failures.map((f) => `<li>${escape(f)}</li>`).join('\n')}</ul>` : ''}
${maps ? `<h2>Difference maps</h2>${maps}` : ''}
<h2>Layers</h2>
${layersSection}
${attributes ? `<h2>Attributes</h2><div class="scroll"><table><tr><th>object</th><th>attribute</th><th>change</th><th>reference</th><th>candidate</th></tr>${attributes}</table></div>` : ''}
${texts ? `<h2>Text variables</h2><ul>${texts}</ul>` : ''}
${grids ? `<h2>Grids</h2><ul>${grids}</ul>` : ''}
${notes ? `<h2>Representation notes</h2><p>The same content stored differently (failures with <code>--check-storage</code>).</p><ul>${notes}</ul>` : ''}
${provenance(report)}
<p>Also in this directory: <a href="report.json">report.json</a>, <a href="report.md">report.md</a>, <a href="junit.xml">junit.xml</a>, <a href="report.txt">report.txt</a>.</p>
</body></html>
`;
}
