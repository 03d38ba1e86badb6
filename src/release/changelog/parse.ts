/**
 * A Keep a Changelog document (https://keepachangelog.com/en/1.1.0/) read line by line into versions and change
 * sections, each with its line number. Parsing never throws: whatever does not fit is recorded as a problem for the
 * rules to report, so arbitrary input always yields a clear message.
 */

export const CHANGE_TYPES = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'] as const;
export const UNRELEASED = 'Unreleased';

export interface ChangeSection {
  readonly line: number;
  readonly name: string;
  entries: number;
}

export interface VersionSection {
  /** 1-based line of the `## [...]` heading. */
  readonly line: number;
  /** `Unreleased` or the version inside the brackets. */
  readonly name: string;
  readonly date: string | null;
  readonly sections: ChangeSection[];
  /** Bullet entries directly under the version (no change section). */
  looseEntries: number;
  /** Last line of the version's body (before the next version heading or the link references). */
  endLine: number;
}

export interface Problem {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface ChangelogDocument {
  readonly lines: readonly string[];
  readonly title: { readonly line: number; readonly text: string } | null;
  readonly versions: readonly VersionSection[];
  readonly problems: readonly Problem[];
}

// `## [1.2.3] - 2024-01-05` (Keep a Changelog), `## [1.2.3](compare-url) (2024-01-05)` (release-please,
// conventional-changelog), `## [1.2.3] 2024-01-05`, `## [1.2.3]`.
const VERSION_HEADING = /^##\s+\[(?<name>[^\]]+)\](?:\([^)]*\))?(?:\s+(?:[-–—]\s+)?\(?(?<date>[^()\s].*?)\)?)?\s*$/;
const LINK_REFERENCE = /^\[[^\]]+\]:\s*\S/;
const BULLET = /^\s*[-*+]\s+\S/;

function headingLevel(line: string): number {
  const match = /^(#{1,6})(\s|$)/.exec(line);
  return match ? match[1]!.length : 0;
}

function closeVersion(version: VersionSection | undefined, endLine: number): void {
  if (version) version.endLine = Math.max(version.line, endLine);
}

export function parseChangelog(text: string): ChangelogDocument {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const versions: VersionSection[] = [];
  const problems: Problem[] = [];
  let title: ChangelogDocument['title'] = null;
  let current: VersionSection | undefined;
  let section: ChangeSection | undefined;
  let fenced = false;
  let lastContent = 0;
  lines.forEach((raw, index) => {
    const line = raw.trimEnd();
    const number = index + 1;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    if (LINK_REFERENCE.test(line)) {
      closeVersion(current, lastContent);
      current = undefined;
      section = undefined;
      return;
    }
    const level = headingLevel(line);
    const text = line.replace(/^#+\s*/, '').trim();
    if (level === 1) {
      if (title)
        problems.push({
          line: number,
          code: 'duplicate-title',
          message: `a second title "${text}" (keep one "# Changelog" at the top)`,
        });
      else if (versions.length > 0)
        problems.push({ line: number, code: 'title-position', message: 'the title must come before every version' });
      else title = { line: number, text };
      return;
    }
    if (level === 2) {
      const match = VERSION_HEADING.exec(line);
      if (match?.groups) {
        closeVersion(current, lastContent);
        section = undefined;
        current = {
          line: number,
          name: match.groups.name!.trim(),
          date: match.groups.date?.trim() ?? null,
          sections: [],
          looseEntries: 0,
          endLine: number,
        };
        versions.push(current);
      } else {
        // Not a version: reported, but the version above goes on to the next version heading, so its release
        // notes keep everything written under it (a "## Fixed" at the wrong level included).
        const kind = (CHANGE_TYPES as readonly string[]).find((t) => t.toLowerCase() === text.toLowerCase());
        problems.push(
          kind
            ? {
                line: number,
                code: 'section-level',
                message: `"## ${text}" is a change section at level 2 (write "### ${kind}" inside a version)`,
              }
            : {
                line: number,
                code: 'invalid-version-heading',
                message: `"## ${text}" is not a version heading (write "## [X.Y.Z] - YYYY-MM-DD" or "## [Unreleased]")`,
              },
        );
        section = kind && current ? { line: number, name: kind, entries: 0 } : undefined;
        if (section) current!.sections.push(section);
      }
      lastContent = number;
      return;
    }
    if (level === 3) {
      if (!current) {
        problems.push({
          line: number,
          code: 'orphan-section',
          message: `change section "### ${text}" is not under a version heading`,
        });
        section = undefined;
      } else {
        section = { line: number, name: text, entries: 0 };
        current.sections.push(section);
      }
      lastContent = number;
      return;
    }
    if (line.trim() === '') return;
    lastContent = number;
    if (!current) return;
    if (BULLET.test(line)) {
      if (section) section.entries++;
      else current.looseEntries++;
    }
  });
  closeVersion(current, lastContent);
  return { lines, title, versions, problems };
}
