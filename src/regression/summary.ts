import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownedFiles } from '../io/owned-dir.js';
import { REGRESSION_WORKSPACE } from './workspace.js';
import { redactText } from '../redaction.js';
import { printable } from '../text.js';
import { reportJson } from '../report/render.js';
import { escapeMarkup } from '../text.js';
import { verdictTitle, type CaseResult, type RegressionReport } from './run.js';

/**
 * The reports of a regression run: `summary.md` (one row per case, each case's details collapsed below — what the
 * pull request comment shows), `report.json`, `junit.xml` (one test case per case) and `index.html` linking each
 * case's own report and difference maps.
 */

/** Marks the pull request comment so a later run updates it instead of adding another. */
export const COMMENT_MARKER = '<!-- gunw-regression-report -->';
/** GitHub refuses comments longer than 65,536 characters. */
const COMMENT_LIMIT = 65_000;

const VERDICT_ICON: Record<RegressionReport['verdict'], string> = { pass: '✅', fail: '❌', none: '⚪' };
const ICON: Record<CaseResult['verdict'], string> = { pass: '✅', fail: '❌', error: '⚠️', skipped: '⏭️' };
const cell = (text: string): string => printable(text).replace(/\|/g, '\\|');

/**
 * What a reader should see first about a case: why it failed (the most severe failure, whatever its kind), else
 * the layer that differs most, else why it was not compared.
 */
function finding(result: CaseResult): string {
  if (result.verdict === 'fail' && result.reason) return cell(result.reason);
  return result.summary ? worst(result) : cell(result.reason ?? '–');
}

function worst(result: CaseResult): string {
  const w = result.summary?.worstLayer;
  if (!w) return '–';
  return `\`${w.path.split('/').pop()}\` max\\|Δ\\| ${w.maxAbsDiff.toPrecision(3)} ${w.units}${w.exceeding > 0 ? `, ${w.exceeding.toLocaleString('en-US')} px over` : ''}`;
}

export function regressionMarkdown(report: RegressionReport, reportDir: string): string {
  const { counts } = report;
  const out: string[] = [
    COMMENT_MARKER,
    `### ${VERDICT_ICON[report.verdict]} GUNW regression: ${verdictTitle(report.verdict)}`,
    '',
    `${report.cases.length} case${report.cases.length === 1 ? '' : 's'}: ${counts.pass} passed, ${counts.fail} failed, ${counts.error} errors, ${counts.skipped} skipped · ${report.tool.name} ${report.tool.version}`,
    '',
    '| case | verdict | most severe finding | 2π ambiguities | provenance changes |',
    '|---|---|---|---|---|',
  ];
  for (const r of report.cases) {
    out.push(
      `| \`${r.name}\` | ${ICON[r.verdict]} ${r.verdict}${r.reused ? ' (unchanged)' : ''} | ${finding(r)} | ${r.summary?.ambiguities ?? '–'} | ${r.summary?.provenanceChanges ?? '–'} |`,
    );
  }
  out.push('');
  for (const r of report.cases) {
    // Skipped cases are explained in the table; the details are for what was compared or went wrong.
    if (r.verdict === 'skipped') continue;
    const detail = r.reportDir ? join(reportDir, r.reportDir, 'report.md') : null;
    const body = detail && existsSync(detail) ? readFileSync(detail, 'utf8').trim() : printable(r.reason ?? '');
    if (!body) continue;
    out.push(`<details><summary>${ICON[r.verdict]} ${r.name}</summary>`, '', body, '', '</details>', '');
  }
  const text = out.join('\n');
  return text.length <= COMMENT_LIMIT
    ? text
    : `${text.slice(0, COMMENT_LIMIT)}\n\n… (truncated: the full report is in the workflow's artifacts)\n`;
}

export function regressionJunit(report: RegressionReport): string {
  const failures = report.counts.fail;
  const errors = report.counts.error;
  const cases = report.cases.map((r) => {
    const open = `  <testcase classname="gunw-regression" name="${escapeMarkup(r.name)}" time="${r.seconds.toFixed(3)}">`;
    if (r.verdict === 'pass') return `${open}</testcase>`;
    if (r.verdict === 'skipped') return `${open}<skipped message="${escapeMarkup(r.reason ?? '')}"/></testcase>`;
    const tag = r.verdict === 'fail' ? 'failure' : 'error';
    const detail = r.summary ? r.summary.failures.join('\n') : (r.reason ?? '');
    return `${open}<${tag} message="${escapeMarkup(r.reason ?? r.verdict)}">${escapeMarkup(detail)}</${tag}></testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="gunw-regression" tests="${report.cases.length}" failures="${failures}" errors="${errors}" skipped="${report.counts.skipped}" time="${report.elapsedSeconds.toFixed(3)}">\n${cases.join('\n')}\n</testsuite>\n`;
}

export function regressionHtml(report: RegressionReport): string {
  const rows = report.cases
    .map((r) => {
      const link = r.reportDir
        ? `<a href="${escapeMarkup(r.reportDir)}/index.html">${escapeMarkup(r.name)}</a>`
        : escapeMarkup(r.name);
      return `<tr class="${r.verdict}"><td>${link}</td><td>${r.verdict}</td><td>${escapeMarkup(r.verdict === 'fail' && r.reason ? r.reason : (r.summary?.worstLayer?.path ?? r.reason ?? ''))}</td><td>${r.summary?.ambiguities ?? ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GUNW regression: ${verdictTitle(report.verdict)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
.pass td:nth-child(2){color:#1a7f37}.fail td:nth-child(2),.error td:nth-child(2){color:#cf222e;font-weight:bold}.skipped td:nth-child(2){color:#777}</style></head>
<body><h1>GUNW regression: ${verdictTitle(report.verdict)}</h1>
<p>${report.cases.length} cases: ${report.counts.pass} passed, ${report.counts.fail} failed, ${report.counts.error} errors, ${report.counts.skipped} skipped.</p>
<p>Each case links to its own report with the difference maps of the layers that differ.</p>
<table><thead><tr><th>case</th><th>verdict</th><th>most severe finding</th><th>2π ambiguities</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

export function writeRegressionReports(dir: string, report: RegressionReport): void {
  const files = ownedFiles(dir, '--report-dir');
  const write = (name: string, text: string): void =>
    void files.writeFile(name, redactText(text), REGRESSION_WORKSPACE);
  write('report.json', reportJson(report));
  write('summary.md', regressionMarkdown(report, dir));
  write('junit.xml', regressionJunit(report));
  write('index.html', regressionHtml(report));
}
