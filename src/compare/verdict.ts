import type { DiffReport } from './report-schema.js';

const listed = (values: readonly string[] | null): string => (values ? values.join(' ') : '(absent)');

/**
 * How much a kind of failure says, most first: a product whose layout changed, or that was processed with other
 * parameters, explains whatever its values then do; a layer beyond tolerance says more than a changed attribute.
 */
const SEVERITY = ['structure', 'grid', 'parameter', 'layer', 'text', 'attribute', 'storage'] as const;
type FailureKind = (typeof SEVERITY)[number];

interface Failure {
  readonly kind: FailureKind;
  readonly text: string;
}

function failuresOf(report: Omit<DiffReport, 'failures' | 'verdict'>): Failure[] {
  const failures: Failure[] = [];
  const add = (kind: FailureKind, text: string): void => void failures.push({ kind, text });
  for (const e of report.structure.onlyInReference)
    add('structure', `${e.kind} ${e.path} is missing from the candidate`);
  for (const e of report.structure.onlyInCandidate) add('structure', `${e.kind} ${e.path} is new in the candidate`);
  for (const c of report.structure.changed)
    add('structure', `${c.kind} ${c.path}: ${c.property} ${c.reference} → ${c.candidate}`);
  for (const grid of report.grids)
    if (grid.verdict === 'fail') add('grid', `grid ${grid.latitude} × ${grid.longitude}: ${grid.reason ?? ''}`);
  // Worst first, so that the first layer failure is the one every summary names.
  for (const layer of rankLayers(report.layers.filter((l) => l.verdict === 'fail')))
    add('layer', `${layer.path}: ${layer.reasons.join('; ')}`);
  for (const t of report.textVariables)
    if (!t.informational && t.expected === null) add('text', `${t.path}: text differs`);
  for (const a of report.attributes) {
    if (a.informational || a.expected !== null) continue;
    const what =
      a.change === 'changed'
        ? 'value changed'
        : a.change === 'type'
          ? `type ${a.referenceType} → ${a.candidateType}`
          : a.change === 'onlyInReference'
            ? 'missing from the candidate'
            : 'new in the candidate';
    add('attribute', `attribute ${a.path}@${a.name}: ${what}`);
  }
  for (const p of report.provenance.parameters) {
    if (!p.informational) add('parameter', `parameter --${p.name}: ${listed(p.reference)} → ${listed(p.candidate)}`);
  }
  // With --check-storage, storage is compared too: every representation difference counts.
  if (report.options.checkStorage)
    for (const n of report.representation)
      add(
        'storage',
        `${n.name ? `attribute ${n.path}@${n.name}` : n.path}: stored differently (${n.equivalence}): ${n.reference} → ${n.candidate}`,
      );
  return failures;
}

/** Every reason the comparison fails, one line each, in report order (failing layers worst first). Informational entries never count. */
export function collectFailures(report: Omit<DiffReport, 'failures' | 'verdict'>): string[] {
  return failuresOf(report).map((f) => f.text);
}

/** Layers, most pixels beyond tolerance first, then the largest |Δ|. */
function rankLayers(layers: readonly DiffReport['layers'][number][]): DiffReport['layers'][number][] {
  return [...layers].sort((a, b) => b.exceeding - a.exceeding || b.maxAbsDiff - a.maxAbsDiff);
}

/**
 * The worst layer of a comparison: among failing layers (else all), the most pixels beyond tolerance, then the
 * largest |Δ|.
 */
export function worstLayer(report: Pick<DiffReport, 'layers'>): DiffReport['layers'][number] | null {
  const failing = report.layers.filter((l) => l.verdict === 'fail');
  return rankLayers(failing.length > 0 ? failing : report.layers)[0] ?? null;
}

/**
 * The one-line reason of a failed comparison, named the same in the console, the case reason and every summary: the
 * most severe failure whatever its kind (a missing layer before a changed parameter before the worst layer's
 * values before an attribute), or null when it passed.
 */
export function headlineFailure(report: Omit<DiffReport, 'failures' | 'verdict'>): string | null {
  const failures = failuresOf(report);
  for (const kind of SEVERITY) {
    const first = failures.find((f) => f.kind === kind);
    if (first) return first.text;
  }
  return null;
}
