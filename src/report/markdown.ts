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
  withoutAmbiguitiesLine,
} from './figures.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown report for PR comments and job summaries: verdict and failures up front, details collapsed. */
export function formatMarkdown(report: DiffReport): string {
  const out: string[] = [];
  const icon = report.verdict === 'pass' ? '✅' : '❌';
  out.push(`### ${icon} gunw diff: ${report.verdict.toUpperCase()}`, '');
  out.push(
    `Reference \`${report.reference}\` · candidate \`${report.candidate}\` · profile \`${report.options.profile}\``,
    '',
  );
  out.push(summaryLine(report), '');
  if (report.failures.length > 0) {
    out.push('**Failures**', '');
    for (const f of report.failures) out.push(`- ${cell(f)}`);
    out.push('');
  }
  const notable = interestingLayers(report);
  if (notable.length > 0) {
    out.push(
      '| layer | verdict | units | max \\|Δ\\| | p99 \\|Δ\\| | exceeding | tolerance | NaN mismatch | ambiguities / relabelling |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const l of notable) {
      const extra = [
        ...l.ambiguities.map((a) => `component ${a.component}: ${signedCycles(a.k)} (${count(a.pixels)} px)`),
        ...(withoutAmbiguitiesLine(l) ? [cell(withoutAmbiguitiesLine(l)!)] : []),
        ...(l.relabelling ? [`relabelled ${l.relabelling.pairs.map(([a, b]) => `${a}→${b}`).join(', ')}`] : []),
      ].join('<br>');
      out.push(
        `| \`${l.path}\` | ${l.verdict} | ${cell(unitsText(l.units))} | ${stat(l.maxAbsDiff)} | ${stat(l.p99AbsDiff)} | ${count(l.exceeding)} | ${cell(toleranceText(l.tolerance))} | ${count(l.nanMismatch)} | ${extra || '–'} |`,
      );
    }
    out.push('');
  }
  const s = report.structure;
  if (s.onlyInReference.length + s.onlyInCandidate.length + s.changed.length > 0) {
    out.push('<details><summary>Structure</summary>', '');
    for (const e of s.onlyInReference) out.push(`- only in reference: ${e.kind} \`${e.path}\``);
    for (const e of s.onlyInCandidate) out.push(`- only in candidate: ${e.kind} \`${e.path}\``);
    for (const c of s.changed) out.push(`- \`${c.path}\`: ${c.property} ${cell(c.reference)} → ${cell(c.candidate)}`);
    out.push('', '</details>', '');
  }
  const shifted = report.grids.filter((g) => !g.aligned);
  if (shifted.length > 0) {
    out.push('<details><summary>Grids</summary>', '');
    for (const g of shifted) out.push(`- ${cell(gridLine(g))}`);
    out.push('', '</details>', '');
  }
  if (report.textVariables.length > 0) {
    out.push('<details><summary>Text variables</summary>', '');
    for (const t of report.textVariables)
      out.push(
        `- ${cell(expectedMark(t.expected))}\`${t.path}\`: ${cell(JSON.stringify(t.reference))} → ${cell(JSON.stringify(t.candidate))}`,
      );
    out.push('', '</details>', '');
  }
  if (report.attributes.length > 0) {
    out.push(
      '<details><summary>Attributes</summary>',
      '',
      '| object | attribute | change | reference | candidate |',
      '|---|---|---|---|---|',
    );
    for (const a of report.attributes) {
      out.push(
        `| \`${a.path}\` | ${a.name}${a.informational ? ' (info)' : ''} | ${cell(expectedMark(a.expected))}${a.change} | ${cell(value(a.reference))} | ${cell(value(a.candidate))} |`,
      );
    }
    out.push('', '</details>', '');
  }
  if (report.representation.length > 0) {
    out.push('<details><summary>Representation notes (storage only)</summary>', '');
    for (const n of report.representation) out.push(`- ${cell(noteLine(n))}`);
    out.push('', '</details>', '');
  }
  const p = report.provenance;
  if (p.parameters.length > 0 || p.versions.length > 0) {
    out.push('<details><summary>Provenance</summary>', '');
    for (const c of p.parameters)
      out.push(
        `- \`--${c.name}\`${c.informational ? ' (info)' : ''}: ${cell(c.reference?.join(' ') ?? '(absent)')} → ${cell(c.candidate?.join(' ') ?? '(absent)')}`,
      );
    for (const v of p.versions)
      out.push(
        `- version \`${v.path}@${v.name}\`: ${cell(value(v.reference))}${v.changed ? ` → ${cell(value(v.candidate))}` : ' (unchanged)'}`,
      );
    out.push('', '</details>', '');
  }
  out.push(
    '<details><summary>All layers</summary>',
    '',
    '| layer | verdict | units | valid ref / cand | NaN mismatch | max \\|Δ\\| | mean \\|Δ\\| | RMSE | p99 \\|Δ\\| | exceeding | tolerance |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const l of report.layers) {
    out.push(
      `| \`${l.path}\` | ${l.verdict} | ${cell(unitsText(l.units))} | ${count(l.validReference)} / ${count(l.validCandidate)} | ${count(l.nanMismatch)} | ${stat(l.maxAbsDiff)} | ${stat(l.meanAbsDiff)} | ${stat(l.rmse)} | ${stat(l.p99AbsDiff)} | ${count(l.exceeding)} | ${cell(toleranceText(l.tolerance))} |`,
    );
  }
  out.push('', '</details>', '');
  return out.join('\n');
}
