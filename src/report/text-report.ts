import type { DiffReport, LayerReport } from '../compare/report-schema.js';
import {
  count,
  expectedMark,
  gridLine,
  interestingLayers,
  noteLine,
  signedCycles,
  stat,
  summaryLine,
  value,
  withoutAmbiguitiesLine,
} from './figures.js';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function layerRow(l: LayerReport): string[] {
  return [
    l.path,
    l.verdict.toUpperCase(),
    `${count(l.validReference)}/${count(l.validCandidate)}`,
    count(l.nanMismatch),
    stat(l.maxAbsDiff),
    stat(l.meanAbsDiff),
    stat(l.rmse),
    stat(l.p99AbsDiff),
    count(l.exceeding),
  ];
}

/** Plain-text report for terminals: verdict first, then what differs, then every layer's statistics. */
export function formatText(report: DiffReport): string {
  const out: string[] = [];
  out.push(`gunw diff: ${report.verdict.toUpperCase()}  (${report.elapsedSeconds.toFixed(2)} s)`);
  out.push(`  reference: ${report.reference}`);
  out.push(`  candidate: ${report.candidate}`);
  out.push(`  ${summaryLine(report)}`);
  if (report.failures.length > 0) {
    out.push('', 'Failures:');
    for (const f of report.failures) out.push(`  - ${f}`);
  }
  const s = report.structure;
  if (s.onlyInReference.length + s.onlyInCandidate.length + s.changed.length > 0) {
    out.push('', 'Structure:');
    for (const e of s.onlyInReference) out.push(`  - only in reference: ${e.kind} ${e.path}`);
    for (const e of s.onlyInCandidate) out.push(`  + only in candidate: ${e.kind} ${e.path}`);
    for (const c of s.changed) out.push(`  ~ ${c.kind} ${c.path}: ${c.property} ${c.reference} -> ${c.candidate}`);
  }
  const shifted = report.grids.filter((g) => !g.aligned);
  if (shifted.length > 0) {
    out.push('', 'Grids (compared on the overlap):');
    for (const g of shifted) out.push(`  ${gridLine(g)}`);
  }
  const explained = interestingLayers(report).flatMap((l) => [
    ...l.ambiguities.map(
      (a) => `  2π ambiguity: ${l.path} component ${a.component}: ${signedCycles(a.k)} over ${count(a.pixels)} px`,
    ),
    ...(withoutAmbiguitiesLine(l) ? [`    ${withoutAmbiguitiesLine(l)!}`] : []),
    ...(l.relabelling
      ? [
          `  relabelling: ${l.path}: ${l.relabelling.pairs.map(([a, b]) => `${a}->${b}`).join(', ')} (${count(l.relabelling.pixels)} px)`,
        ]
      : []),
  ]);
  if (explained.length > 0) out.push('', 'Explained differences:', ...explained);
  if (report.attributes.length > 0) {
    out.push('', 'Attributes:');
    for (const a of report.attributes) {
      out.push(
        `  ${a.informational ? '(info) ' : ''}${expectedMark(a.expected)}${a.path}@${a.name} [${a.change}]: ${value(a.reference)} -> ${value(a.candidate)}`,
      );
    }
  }
  if (report.textVariables.length > 0) {
    out.push('', 'Text variables:');
    for (const t of report.textVariables)
      out.push(
        `  ${t.informational ? '(info) ' : ''}${expectedMark(t.expected)}${t.path}: ${JSON.stringify(t.reference)} -> ${JSON.stringify(t.candidate)}`,
      );
  }
  if (report.representation.length > 0) {
    out.push('', 'Representation notes (the same content stored differently; failures with --check-storage):');
    for (const n of report.representation) out.push(`  ${noteLine(n)}`);
  }
  const p = report.provenance;
  if (p.parameters.length > 0 || p.versions.some((v) => v.changed)) {
    out.push('', 'Provenance:');
    for (const c of p.parameters) {
      out.push(
        `  ${c.informational ? '(info) ' : ''}--${c.name}: ${c.reference?.join(' ') ?? '(absent)'} -> ${c.candidate?.join(' ') ?? '(absent)'}`,
      );
    }
    for (const v of p.versions.filter((x) => x.changed))
      out.push(`  version ${v.path}@${v.name}: ${value(v.reference)} -> ${value(v.candidate)}`);
  }
  out.push('', 'Layers:');
  const header = [
    'PATH',
    'VERDICT',
    'VALID REF/CAND',
    'NAN-MISMATCH',
    'MAX|Δ|',
    'MEAN|Δ|',
    'RMSE',
    'P99|Δ|',
    'EXCEEDING',
  ];
  out.push(...table([header, ...report.layers.map(layerRow)]).map((line) => `  ${line}`));
  return `${out.join('\n')}\n`;
}
