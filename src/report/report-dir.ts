import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOwnedDirectory } from '../io/owned-dir.js';
import { redactText } from '../redaction.js';
import type { DiffResult } from '../compare/engine.js';
import type { DiffReport } from '../compare/report-schema.js';
import { renderDifferenceMap } from './diff-map.js';
import { formatReport } from './formats.js';
import { formatHtml } from './html.js';

/** File name of a layer's difference map: its path with separators made safe. */
export function mapFileName(layerPath: string): string {
  return `${layerPath.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '_')}.png`;
}

/**
 * Write every report format, a difference map per failing (or ambiguous) layer and index.html into `dir`, which
 * may only hold what gunw wrote there before (see io/owned-dir.ts). The directory appears, or changes, only when
 * every file is written. Returns the report with `diffMap` paths filled in.
 */
/** The report of a comparison, with its directory written first when one is asked for (maps linked from it). */
export function reportWithDirectory(result: DiffResult, dir: string | undefined, option?: string): DiffReport {
  return dir === undefined ? result.report : writeReportDirectory(dir, result, option);
}

export function writeReportDirectory(dir: string, result: DiffResult, option = '--report-dir'): DiffReport {
  let report: DiffReport = result.report;
  writeOwnedDirectory(dir, option, (staging) => {
    mkdirSync(join(staging, 'maps'));
    const layers = result.report.layers.map((layer) => {
      const preview = result.previews.get(layer.path);
      if (!preview) return layer;
      const file = `maps/${mapFileName(layer.path)}`;
      writeFileSync(join(staging, file), renderDifferenceMap(preview));
      return { ...layer, diffMap: file };
    });
    report = { ...result.report, layers };
    // Reports are built from redacted values; the text is checked once more as it is written.
    const write = (name: string, text: string): void => writeFileSync(join(staging, name), redactText(text));
    write('report.json', formatReport(report, 'json'));
    write('report.md', formatReport(report, 'markdown'));
    write('report.txt', formatReport(report, 'text'));
    write('junit.xml', formatReport(report, 'junit'));
    write('index.html', formatHtml(report));
  });
  return report;
}
