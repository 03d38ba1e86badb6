import type { AttributeDifference, DiffReport, LayerReport, Tolerance } from '../compare/report-schema.js';

/** Number formatting shared by the text, Markdown, JUnit and HTML reports. */

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The statistics over the pixels outside a layer's explained components, or null when it has none. */
export function withoutAmbiguitiesLine(layer: LayerReport): string | null {
  const w = layer.withoutAmbiguities;
  if (!w) return null;
  return `without those components: max |Δ| ${stat(w.maxAbsDiff)}, mean |Δ| ${stat(w.meanAbsDiff)}, RMSE ${stat(w.rmse)} over ${count(w.compared)} px`;
}

export function stat(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e5 || abs < 1e-3 ? value.toExponential(3) : Number(value.toPrecision(4)).toString();
}

export function value(v: AttributeDifference['reference']): string {
  if (v === null) return '(absent)';
  return Array.isArray(v)
    ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]`
    : typeof v === 'string'
      ? JSON.stringify(v)
      : String(v);
}

export function signedCycles(k: number): string {
  return `${k > 0 ? '+' : ''}${k}·2π`;
}

export function interestingLayers(report: DiffReport): LayerReport[] {
  return report.layers.filter((l) => l.verdict === 'fail' || l.ambiguities.length > 0 || l.relabelling !== null);
}

export function summaryLine(report: DiffReport): string {
  const failed = report.layers.filter((l) => l.verdict === 'fail').length;
  const ambiguous = report.layers.reduce((n, l) => n + l.ambiguities.length, 0);
  const parts = [
    `${report.layers.length} numeric variables compared, ${failed} failed`,
    `${ambiguous} 2π ambiguit${ambiguous === 1 ? 'y' : 'ies'}`,
    `${report.attributes.length} attribute difference${report.attributes.length === 1 ? '' : 's'}`,
    `${report.provenance.parameters.length} provenance parameter change${report.provenance.parameters.length === 1 ? '' : 's'}`,
  ];
  const notes = report.representation.length;
  if (notes > 0) parts.push(`${notes} representation note${notes === 1 ? '' : 's'} (storage only)`);
  return parts.join(', ');
}

/** A representation note as one line: what, which equivalence, and the two storages. */
export function noteLine(n: DiffReport['representation'][number]): string {
  return `${n.name ? `${n.path}@${n.name}` : n.path} (${n.equivalence}): ${n.reference} -> ${n.candidate}`;
}

/** A grid's registration as one line. */
export function gridLine(g: DiffReport['grids'][number]): string {
  return (
    `${g.latitude} x ${g.longitude}: reference ${g.referenceShape.join('x')}, candidate ${g.candidateShape.join('x')}, ` +
    `offset ${g.offset.join(',')} px, shift ${g.subPixelShift.map((v) => v.toFixed(3)).join(',')} px (${g.registration}), ` +
    `overlap ${g.overlap.join('x')}${g.verdict === 'expected' ? ` (expected: ${g.reason ?? ''})` : ''}`
  );
}

/** The mark of a difference the profile declares expected. */
export function expectedMark(reason: string | null): string {
  return reason === null ? '' : `(expected: ${reason}) `;
}

/** A layer's tolerance as one phrase: |Δ| allowed per pixel, and the pixels allowed beyond it. */
export function toleranceText(t: Tolerance): string {
  const perPixel = t.rel === 0 ? stat(t.abs) : `${stat(t.abs)} + ${stat(t.rel)}·|ref|`;
  return `${perPixel}; ${count(t.maxExceeding)} px beyond`;
}

/** Units as the product states them, or a dash where it states none. */
export function unitsText(units: string): string {
  return units.trim() === '' ? '–' : units;
}
