import type { DiffReport } from '../compare/report-schema.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatText } from './text.js';

import type { ReportFormat } from './format-names.js';

export { REPORT_FORMATS, type ReportFormat } from './format-names.js';

export function formatReport(report: DiffReport, format: ReportFormat): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return formatJunit(report);
  }
}
