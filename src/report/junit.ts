import type { DiffReport } from '../compare/report-schema.js';
import { stat } from './figures.js';
import { escapeMarkup } from '../text.js';

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly failures: readonly string[];
  readonly skipped?: string;
  readonly output?: string;
}

/** JUnit XML: one test case per layer, plus structure, attributes, text variables and provenance. */
export function formatJunit(report: DiffReport): string {
  const s = report.structure;
  const cases: Case[] = [
    {
      classname: 'gunw.structure',
      name: 'structure',
      failures: [
        ...s.onlyInReference.map((e) => `${e.kind} ${e.path} is missing from the candidate`),
        ...s.onlyInCandidate.map((e) => `${e.kind} ${e.path} is new in the candidate`),
        ...s.changed.map((c) => `${c.path}: ${c.property} ${c.reference} → ${c.candidate}`),
      ],
    },
    ...report.layers.map((l): Case => ({
      classname: 'gunw.layers',
      name: l.path,
      failures: l.verdict === 'fail' ? l.reasons : [],
      ...(l.verdict === 'skipped' ? { skipped: l.reasons.join('; ') } : {}),
      output: `max|Δ|=${stat(l.maxAbsDiff)} mean|Δ|=${stat(l.meanAbsDiff)} rmse=${stat(l.rmse)} p99|Δ|=${stat(l.p99AbsDiff)} exceeding=${l.exceeding} nanMismatch=${l.nanMismatch} ambiguities=${l.ambiguities.length}`,
    })),
    {
      classname: 'gunw.attributes',
      name: 'attributes',
      failures: report.attributes.filter((a) => !a.informational).map((a) => `${a.path}@${a.name}: ${a.change}`),
    },
    {
      classname: 'gunw.text',
      name: 'text variables',
      failures: report.textVariables.filter((t) => !t.informational).map((t) => `${t.path}: text differs`),
    },
    {
      classname: 'gunw.provenance',
      name: 'provenance',
      failures: report.provenance.parameters
        .filter((p) => !p.informational)
        .map((p) => `--${p.name}: ${p.reference?.join(' ') ?? '(absent)'} → ${p.candidate?.join(' ') ?? '(absent)'}`),
    },
  ];
  const failed = cases.filter((c) => c.failures.length > 0).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = report.elapsedSeconds.toFixed(3);
  const suite = escapeMarkup(`gunw diff ${report.reference} vs ${report.candidate}`);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gunw diff" tests="${cases.length}" failures="${failed}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${suite}" tests="${cases.length}" failures="${failed}" skipped="${skipped}" time="${time}">`,
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${escapeMarkup(c.classname)}" name="${escapeMarkup(c.name)}"`;
    const body: string[] = [];
    if (c.failures.length > 0) {
      body.push(
        `      <failure message="${escapeMarkup(c.failures[0]!)}" type="regression">${escapeMarkup(c.failures.join('\n'))}</failure>`,
      );
    }
    if (c.skipped !== undefined) body.push(`      <skipped message="${escapeMarkup(c.skipped)}"/>`);
    if (c.output) body.push(`      <system-out>${escapeMarkup(c.output)}</system-out>`);
    lines.push(
      body.length === 0 ? `${open}/>` : `${open}>`,
      ...body,
      ...(body.length === 0 ? [] : ['    </testcase>']),
    );
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
