import type { ChangelogDocument } from './parse.js';
import type { ChangelogFailure } from './rules.js';

/**
 * What a pull request answers for: the version sections it added or edited. Problems elsewhere in the file were
 * there before it (the plugin's CHANGELOG.md has a duplicate "### Added" in 0.2.4 and "## Fixed" in 0.2.2) and
 * are notices, not failures, so an old file does not fail every pull request.
 */

/** Failures about the pull request as a whole, whatever lines it touched. */
const ALWAYS_BLOCKING = new Set(['labels', 'not-updated', 'version-mismatch', 'unexpected-version']);

/** The index of the version section holding a 1-based line (-1: above every version heading). */
function blockOf(doc: ChangelogDocument, line: number): number {
  let block = -1;
  doc.versions.forEach((v, i) => {
    if (v.line <= line) block = i;
  });
  return block;
}

export function splitByChange(
  doc: ChangelogDocument,
  failures: readonly ChangelogFailure[],
  changedLines: ReadonlySet<number>,
): { failures: ChangelogFailure[]; notices: ChangelogFailure[] } {
  const touched = new Set([...changedLines].map((line) => blockOf(doc, line)));
  const inChange = (f: ChangelogFailure) =>
    ALWAYS_BLOCKING.has(f.code) ||
    touched.has(blockOf(doc, f.line)) ||
    (f.related !== undefined && touched.has(blockOf(doc, f.related)));
  return { failures: failures.filter(inChange), notices: failures.filter((f) => !inChange(f)) };
}
