import type { DiffReport } from '../compare/report-schema.js';
import { count, signedCycles, stat, summaryLine, value } from './format.js';
import { xmlEscape as escape } from './junit.js';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1 .pass{color:#137333}h1 .fail{color:#b3261e}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
tr.fail td{background:#fde7e9}code{font-size:13px}figure{display:inline-block;margin:1em 1em 1em 0}figcaption{font-size:13px}`;

/** index.html of a report directory: summary, failures, tables, and the difference maps. */
export function formatHtml(report: DiffReport): string {
  const rows = report.layers
    .map(
      (l) =>
        `<tr class="${l.verdict}"><td><code>${escape(l.path)}</code></td><td>${l.verdict}</td><td>${count(l.validReference)} / ${count(l.validCandidate)}</td>` +
        `<td>${count(l.nanMismatch)}</td><td>${stat(l.maxAbsDiff)}</td><td>${stat(l.meanAbsDiff)}</td><td>${stat(l.rmse)}</td><td>${stat(l.p99AbsDiff)}</td>` +
        `<td>${count(l.exceeding)}</td><td>${escape(l.ambiguities.map((a) => `${a.component}: ${signedCycles(a.k)} (${count(a.pixels)} px)`).join('; '))}</td></tr>`,
    )
    .join('\n');
  const maps = report.layers
    .filter((l) => l.diffMap)
    .map((l) => `<figure><img src="${escape(l.diffMap!)}" alt="difference map of ${escape(l.path)}"><figcaption><code>${escape(l.path)}</code>: ${escape(l.reasons.join('; ') || 'pass')}</figcaption></figure>`)
    .join('\n');
  const attributes = report.attributes
    .map((a) => `<tr><td><code>${escape(a.path)}</code></td><td>${escape(a.name)}${a.informational ? ' (info)' : ''}</td><td>${a.change}</td><td>${escape(value(a.reference))}</td><td>${escape(value(a.candidate))}</td></tr>`)
    .join('\n');
  const parameters = report.provenance.parameters
    .map((p) => `<li><code>--${escape(p.name)}</code>${p.informational ? ' (info)' : ''}: ${escape(p.reference?.join(' ') ?? '(absent)')} → ${escape(p.candidate?.join(' ') ?? '(absent)')}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gunw diff: ${report.verdict}</title><style>${STYLE}</style></head>
<body>
<h1>gunw diff: <span class="${report.verdict}">${report.verdict.toUpperCase()}</span></h1>
<p>Reference <code>${escape(report.reference)}</code><br>Candidate <code>${escape(report.candidate)}</code><br>Profile <code>${escape(report.options.profile)}</code> · ${report.elapsedSeconds.toFixed(2)} s</p>
<p>${escape(summaryLine(report))}</p>
${report.failures.length ? `<h2>Failures</h2><ul>${report.failures.map((f) => `<li>${escape(f)}</li>`).join('\n')}</ul>` : ''}
${maps ? `<h2>Difference maps</h2>${maps}` : ''}
<h2>Layers</h2>
<table><tr><th>layer</th><th>verdict</th><th>valid ref / cand</th><th>NaN mismatch</th><th>max |Δ|</th><th>mean |Δ|</th><th>RMSE</th><th>p99 |Δ|</th><th>exceeding</th><th>2π ambiguities</th></tr>
${rows}</table>
${attributes ? `<h2>Attributes</h2><table><tr><th>object</th><th>attribute</th><th>change</th><th>reference</th><th>candidate</th></tr>${attributes}</table>` : ''}
${parameters ? `<h2>Provenance parameters</h2><ul>${parameters}</ul>` : ''}
<p>Also in this directory: <a href="report.json">report.json</a>, <a href="report.md">report.md</a>, <a href="junit.xml">junit.xml</a>, <a href="report.txt">report.txt</a>.</p>
</body></html>
`;
}
