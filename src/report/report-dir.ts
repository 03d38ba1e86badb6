import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { writeOwnedDirectory } from '../io/owned-dir.js';
import { redactText } from '../redaction.js';
import type { DiffResult } from '../compare/engine.js';
import type { DiffReport } from '../compare/report-schema.js';
import { renderDifferenceMap } from './diff-map.js';
import { formatReport } from './render.js';
import { formatHtml } from './html.js';

/** File name of a layer's difference map: its path with separators made safe. */
export function mapFileName(layerPath: string): string {
  return `${layerPath.replace(/^\/+/, '').replace(/[^A-Za-z0-9._-]+/g, '_')}.png`;
}

export interface ReportDirectoryOptions {
  /** How the user named the directory, for messages (default `--report-dir`). */
  readonly option?: string;
  /** The user allowed replacing a report an earlier run wrote there (`--overwrite`). */
  readonly overwrite?: boolean;
}

/**
 * The browse image a delivery keeps beside its product (`<ID>.png` next to `<ID>.nc`), as a link from the report
 * directory, when there is one.
 */
function browseLink(product: string, dir: string): string | undefined {
  const png = product.replace(/\.nc$/i, '.png');
  if (png === product || !existsSync(png)) return undefined;
  return relative(resolve(dir), resolve(png)).split(sep).map(encodeURIComponent).join('/');
}

/** The report of a comparison, with its directory written first when one is asked for (maps linked from it). */
export function reportWithDirectory(
  result: DiffResult,
  dir: string | undefined,
  options: ReportDirectoryOptions = {},
): DiffReport {
  return dir === undefined ? result.report : writeReportDirectory(dir, result, options);
}

/**
 * Write every report format, a difference map per failing (or ambiguous) layer and index.html into `dir`. Beside
 * other output of gunw (the products a sample wrote there) it only adds; an earlier report there is replaced only
 * with `overwrite`, and the user's files make it refuse (see io/owned-dir.ts). Files appear only when every one is
 * written. Returns the report with `diffMap` paths filled in.
 */
export function writeReportDirectory(
  dir: string,
  result: DiffResult,
  options: ReportDirectoryOptions = {},
): DiffReport {
  let report: DiffReport = result.report;
  const intent = { set: 'report', ...(options.overwrite ? { overwrite: true } : {}) };
  writeOwnedDirectory(dir, options.option ?? '--report-dir', intent, (staging) => {
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
    write(
      'index.html',
      formatHtml(report, {
        browse: { reference: browseLink(report.reference, dir), candidate: browseLink(report.candidate, dir) },
      }),
    );
  });
  return report;
}
