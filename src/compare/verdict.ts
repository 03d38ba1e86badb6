import type { DiffReport } from './report-schema.js';

const listed = (values: readonly string[] | null): string => (values ? values.join(' ') : '(absent)');

/** Every reason the comparison fails, one line each, in report order. Informational entries never count. */
export function collectFailures(report: Omit<DiffReport, 'failures' | 'verdict'>): string[] {
  const failures: string[] = [];
  for (const e of report.structure.onlyInReference) failures.push(`${e.kind} ${e.path} is missing from the candidate`);
  for (const e of report.structure.onlyInCandidate) failures.push(`${e.kind} ${e.path} is new in the candidate`);
  for (const c of report.structure.changed) failures.push(`${c.kind} ${c.path}: ${c.property} ${c.reference} → ${c.candidate}`);
  for (const layer of report.layers) if (layer.verdict === 'fail') failures.push(`${layer.path}: ${layer.reasons.join('; ')}`);
  for (const t of report.textVariables) if (!t.informational) failures.push(`${t.path}: text differs`);
  for (const a of report.attributes) {
    if (a.informational) continue;
    const what = a.change === 'changed' ? 'value changed' : a.change === 'type' ? `type ${a.referenceType} → ${a.candidateType}` : a.change === 'onlyInReference' ? 'missing from the candidate' : 'new in the candidate';
    failures.push(`attribute ${a.path}@${a.name}: ${what}`);
  }
  for (const p of report.provenance.parameters) {
    if (!p.informational) failures.push(`parameter --${p.name}: ${listed(p.reference)} → ${listed(p.candidate)}`);
  }
  return failures;
}
