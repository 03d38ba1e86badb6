import { ConventionalChangelog } from 'conventional-changelog';
import { COMMIT_TYPE_SECTIONS, type DraftEntry } from '../release/changelog/draft.js';

interface ParsedCommit {
  readonly type?: string | null;
  readonly scope?: string | null;
  readonly subject?: string | null;
  readonly notes?: readonly { title: string }[];
  readonly header?: string | null;
}

const HEADER = /^(\w*)(?:\(([^)]*)\))?!?: (.*)$/;
const BREAKING_HEADER = /^(\w*)(?:\(([^)]*)\))?!: (.*)$/;

/**
 * Conventional Commit messages since the last version tag, read with conventional-changelog (which runs git) and
 * mapped to draft changelog entries. The writer emits one JSON line per kept commit, so its output is data.
 */
export async function conventionalEntries(repo: string, tagPrefix: string): Promise<DraftEntry[]> {
  const generator = new ConventionalChangelog(repo)
    .tags({ prefix: tagPrefix })
    .commits({}, { headerPattern: HEADER, breakingHeaderPattern: BREAKING_HEADER, headerCorrespondence: ['type', 'scope', 'subject'], noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'] })
    .writer({
      transform: (commit: ParsedCommit) => {
        const section = commit.type ? COMMIT_TYPE_SECTIONS[commit.type.toLowerCase()] : undefined;
        if (!section || !commit.subject) return null;
        const entry: DraftEntry = {
          section,
          scope: commit.scope ?? null,
          subject: commit.subject,
          breaking: (commit.notes ?? []).some((n) => /BREAKING/.test(n.title)) || /^\w*(\([^)]*\))?!:/.test(commit.header ?? ''),
        };
        return { ...commit, entryJson: JSON.stringify(entry) };
      },
      // The writer hands templates commits grouped (by type); the grouping does not matter here.
      mainTemplate: '{{#each commitGroups}}{{#each commits}}{{{entryJson}}}\n{{/each}}{{/each}}',
    } as never);
  const entries: DraftEntry[] = [];
  for await (const chunk of generator.write()) {
    for (const line of chunk.split('\n')) if (line.trim().startsWith('{')) entries.push(JSON.parse(line) as DraftEntry);
  }
  return entries;
}
