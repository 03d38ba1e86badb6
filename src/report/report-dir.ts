import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
 * Write every report format, a difference map per failing (or ambiguous) layer and index.html into `dir`.
 * Everything is written into a temporary sibling directory first and renamed into place at the end, so a
 * half-written directory never looks like a finished report. Returns the report with `diffMap` paths filled in.
 */
export function writeReportDirectory(dir: string, result: DiffResult): DiffReport {
  const staging = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'maps'), { recursive: true });
  try {
    const layers = result.report.layers.map((layer) => {
      const preview = result.previews.get(layer.path);
      if (!preview) return layer;
      const file = `maps/${mapFileName(layer.path)}`;
      writeFileSync(join(staging, file), renderDifferenceMap(preview));
      return { ...layer, diffMap: file };
    });
    const report: DiffReport = { ...result.report, layers };
    writeFileSync(join(staging, 'report.json'), formatReport(report, 'json'));
    writeFileSync(join(staging, 'report.md'), formatReport(report, 'markdown'));
    writeFileSync(join(staging, 'report.txt'), formatReport(report, 'text'));
    writeFileSync(join(staging, 'junit.xml'), formatReport(report, 'junit'));
    writeFileSync(join(staging, 'index.html'), formatHtml(report));
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return report;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
