/** The report formats `gunw diff --format` accepts (a module of its own, so parsing options loads no formatter). */
export const REPORT_FORMATS = ['text', 'markdown', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
