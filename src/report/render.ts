import type { DiffReport } from '../compare/report-schema.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatText } from './text-report.js';
import { printable } from '../text.js';

import type { ReportFormat } from './format-names.js';

export { REPORT_FORMATS, type ReportFormat } from './format-names.js';

/**
 * Every string of a report (names, attribute values, messages that quote them) with control characters escaped:
 * text from a product can never forge a line of a text or Markdown report, or drive a terminal (HTML, JUnit and
 * JSON escape on their own).
 */
function printableReport<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableReport) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableReport(v)])) as T;
  return value;
}

export function formatReport(report: DiffReport, format: ReportFormat): string {
  switch (format) {
    case 'text':
      return formatText(printableReport(report));
    case 'markdown':
      return formatMarkdown(printableReport(report));
    case 'json':
      return reportJson(report);
    case 'junit':
      return formatJunit(report);
  }
}

/** JSON has no infinities or NaN: they are written as their names, which the report schema reads back. */
export function reportJson(report: unknown): string {
  const named = (_key: string, value: unknown): unknown =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  return `${JSON.stringify(report, named, 2)}\n`;
}
