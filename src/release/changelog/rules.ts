import semver from 'semver';
import { CHANGE_TYPES, UNRELEASED, type ChangelogDocument, type VersionSection } from './parse.js';

/** One failed rule: a line of the changelog and what to do about it. */
export interface ChangelogFailure {
  readonly line: number;
  readonly code: string;
  readonly message: string;
  /** Another line the failure is about (the earlier duplicate, the version above), when there is one. */
  readonly related?: number;
}

/** What the pull request's label says the changelog should show. */
export type ChangelogExpectation =
  | { readonly kind: 'release'; readonly label: string; readonly nextVersion: string }
  | { readonly kind: 'bumpless'; readonly label: string; readonly currentVersion: string | null }
  | { readonly kind: 'none' };

type Rule = (doc: ChangelogDocument, expectation: ChangelogExpectation) => ChangelogFailure[];

const released = (doc: ChangelogDocument): VersionSection[] => doc.versions.filter((v) => v.name !== UNRELEASED);

/** A version heading names a SemVer version exactly (semver itself would also accept a leading v). */
const isSemver = (name: string): boolean => /^\d/.test(name) && semver.valid(name) === name;

const title: Rule = (doc) =>
  doc.title ? [] : [{ line: 1, code: 'missing-title', message: 'no title: start the file with "# Changelog"' }];

const unreleased: Rule = (doc) => {
  const found = doc.versions.filter((v) => v.name.toLowerCase() === UNRELEASED.toLowerCase());
  const out: ChangelogFailure[] = found.slice(1).map((v) => ({
    line: v.line,
    code: 'duplicate-unreleased',
    message: 'a second [Unreleased] section (merge it into the first)',
  }));
  const first = found[0];
  if (first && doc.versions[0] !== first)
    out.push({
      line: first.line,
      code: 'unreleased-position',
      message: '[Unreleased] must be the first section, above every version',
    });
  if (first && first.name !== UNRELEASED)
    out.push({
      line: first.line,
      code: 'unreleased-spelling',
      message: `write "[${UNRELEASED}]" (not "[${first.name}]")`,
    });
  return out;
};

const versionNames: Rule = (doc) =>
  released(doc)
    .filter((v) => v.name.toLowerCase() !== UNRELEASED.toLowerCase() && !isSemver(v.name))
    .map((v) => ({
      line: v.line,
      code: 'invalid-version',
      message: `"${v.name}" is not a SemVer version (write X.Y.Z${/^v\d/.test(v.name) ? `, without the v: [${v.name.slice(1)}]` : ''})`,
    }));

const ordering: Rule = (doc) => {
  const out: ChangelogFailure[] = [];
  const valid = released(doc).filter((v) => isSemver(v.name));
  const seen = new Map<string, number>();
  valid.forEach((v, i) => {
    const earlier = seen.get(v.name);
    if (earlier !== undefined)
      out.push({
        line: v.line,
        code: 'duplicate-version',
        message: `version ${v.name} appears twice (also line ${earlier})`,
        related: earlier,
      });
    seen.set(v.name, v.line);
    const above = valid[i - 1];
    if (above && semver.gt(v.name, above.name)) {
      out.push({
        line: v.line,
        code: 'version-order',
        message: `version ${v.name} is below ${above.name} (line ${above.line}): newest versions go first`,
        related: above.line,
      });
    }
  });
  return out;
};

const dates: Rule = (doc) =>
  doc.versions
    .filter((v) => v.date !== null)
    .filter((v) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.date!);
      if (!match) return true;
      const day = new Date(`${v.date}T00:00:00Z`);
      return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== v.date;
    })
    .map((v) => ({
      line: v.line,
      code: 'invalid-date',
      message: `"${v.date}" is not a date (write YYYY-MM-DD, e.g. "## [${v.name}] - 2026-11-24")`,
    }));

function suggestion(name: string): string {
  const exact = CHANGE_TYPES.find((t) => t.toLowerCase() === name.toLowerCase());
  if (exact) return ` (write "${exact}")`;
  if (/^updated?|improved?|modified$/i.test(name)) return ' (use "Changed")';
  if (/^new|features?$/i.test(name)) return ' (use "Added")';
  if (/^bug ?fix(es)?$/i.test(name)) return ' (use "Fixed")';
  return '';
}

const sections: Rule = (doc) => {
  const out: ChangelogFailure[] = [];
  for (const version of doc.versions) {
    const seen = new Map<string, number>();
    for (const section of version.sections) {
      if (!(CHANGE_TYPES as readonly string[]).includes(section.name)) {
        out.push({
          line: section.line,
          code: 'unknown-section',
          message: `unknown change type "${section.name}"${suggestion(section.name)}; use one of ${CHANGE_TYPES.join(', ')}`,
        });
      }
      const earlier = seen.get(section.name);
      if (earlier !== undefined)
        out.push({
          line: section.line,
          code: 'duplicate-section',
          message: `a second "### ${section.name}" in ${version.name} (merge it with line ${earlier})`,
          related: earlier,
        });
      seen.set(section.name, section.line);
      if (section.entries === 0)
        out.push({
          line: section.line,
          code: 'empty-section',
          message: `"### ${section.name}" has no entries (add "- ..." lines or remove it)`,
        });
    }
    const entries = version.looseEntries + version.sections.reduce((n, s) => n + s.entries, 0);
    if (entries === 0 && version.name !== UNRELEASED && version.sections.length === 0) {
      out.push({
        line: version.line,
        code: 'empty-version',
        message: `version ${version.name} lists no changes (add a "### Added/Changed/Fixed ..." section with entries)`,
      });
    }
  }
  return out;
};

const expectedVersion: Rule = (doc, expectation) => {
  const top = released(doc)[0];
  if (expectation.kind === 'release') {
    const want = expectation.nextVersion;
    if (top?.name === want) return [];
    const where = top ? `the newest version is ${top.name} (line ${top.line})` : 'there is no version section yet';
    const unreleasedLine = doc.versions.find((v) => v.name === UNRELEASED)?.line;
    const how = unreleasedLine
      ? `rename "## [${UNRELEASED}]" (line ${unreleasedLine}) to "## [${want}]"`
      : `add "## [${want}]" above it with this pull request's changes`;
    return [
      {
        line: top?.line ?? unreleasedLine ?? 1,
        code: 'version-mismatch',
        message: `label ${expectation.label} releases ${want}, but ${where}: ${how}`,
      },
    ];
  }
  if (expectation.kind === 'bumpless') {
    const current = expectation.currentVersion;
    if (!top || top.name === current) return [];
    return [
      {
        line: top.line,
        code: 'unexpected-version',
        message: `label ${expectation.label} releases nothing, but version ${top.name} is newer than the current release ${current ?? '(none)'}: move its entries to "## [${UNRELEASED}]" or change the label`,
      },
    ];
  }
  return [];
};

const RULES: readonly Rule[] = [title, unreleased, versionNames, ordering, dates, sections, expectedVersion];

/** Every failed rule, in line order. */
export function checkChangelog(doc: ChangelogDocument, expectation: ChangelogExpectation): ChangelogFailure[] {
  const failures = [
    ...doc.problems.map((p) => ({ line: p.line, code: p.code, message: p.message })),
    ...RULES.flatMap((rule) => rule(doc, expectation)),
  ];
  return failures.sort((a, b) => a.line - b.line);
}

/** The body of one version's section, as release notes (blank lines trimmed at both ends). */
export function releaseNotes(doc: ChangelogDocument, version: string): string | null {
  const entry = doc.versions.find((v) => v.name === version || v.name === version.replace(/^v/, ''));
  if (!entry) return null;
  const body = doc.lines.slice(entry.line, entry.endLine);
  while (body.length > 0 && body[0]!.trim() === '') body.shift();
  while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
  return body.join('\n');
}
