import { CHANGE_TYPES, UNRELEASED } from './parse.js';

/**
 * Conventional Commit types mapped onto Keep a Changelog change types (pure). Types that describe no user-visible
 * change (docs, test, ci, build, chore, style) are left out of the draft.
 */
export const COMMIT_TYPE_SECTIONS: Readonly<Record<string, (typeof CHANGE_TYPES)[number]>> = {
  feat: 'Added',
  fix: 'Fixed',
  perf: 'Changed',
  refactor: 'Changed',
  revert: 'Removed',
  security: 'Security',
  deprecate: 'Deprecated',
};

export interface DraftEntry {
  readonly section: (typeof CHANGE_TYPES)[number];
  readonly scope: string | null;
  readonly subject: string;
  readonly breaking: boolean;
}

/** Draft entries of parsed commits: types without a change section (docs, chore, …) and empty subjects dropped. */
export function draftEntries(
  commits: readonly { type: string | null; scope: string | null; subject: string | null; breaking: boolean }[],
): DraftEntry[] {
  const entries: DraftEntry[] = [];
  for (const commit of commits) {
    const section = commit.type ? COMMIT_TYPE_SECTIONS[commit.type.toLowerCase()] : undefined;
    if (section && commit.subject)
      entries.push({ section, scope: commit.scope, subject: commit.subject, breaking: commit.breaking });
  }
  return entries;
}

/** A `## [Unreleased]` section with one `###` per change type, in Keep a Changelog order. */
export function renderDraft(entries: readonly DraftEntry[]): string {
  const lines = [`## [${UNRELEASED}]`, ''];
  for (const section of CHANGE_TYPES) {
    const items = entries.filter((e) => e.section === section);
    if (items.length === 0) continue;
    lines.push(`### ${section}`, '');
    for (const e of items)
      lines.push(`- ${e.breaking ? '**Breaking:** ' : ''}${e.scope ? `${e.scope}: ` : ''}${e.subject}`);
    lines.push('');
  }
  if (entries.length === 0) lines.push('(no feat/fix/perf/refactor/revert commits since the last version tag)', '');
  return lines.join('\n');
}
