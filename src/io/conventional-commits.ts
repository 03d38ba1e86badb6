import { ConventionalGitClient } from '@conventional-changelog/git-client';
import type { Commit, ParserOptions } from 'conventional-commits-parser';

/**
 * Conventional Commit messages of a range, parsed by conventional-changelog's own git client and parser, with
 * reverted commits removed by its revert filter (a feature and its revert cancel out in the draft).
 */

export interface ParsedConventionalCommit {
  readonly hash: string;
  readonly type: string | null;
  readonly scope: string | null;
  readonly subject: string | null;
  readonly header: string | null;
  readonly breaking: boolean;
  /** Set on a revert commit whose reverted commit is outside the range (it cancelled nothing here). */
  readonly reverts: string | null;
}

const PARSER_OPTIONS: ParserOptions = {
  headerPattern: /^(\w*)(?:\(([^)]*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\(([^)]*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  // git revert's message and the Conventional Commits "revert:" type alike.
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w+)\.?/i,
  revertCorrespondence: ['header', 'hash'],
};

function converted(commit: Commit): ParsedConventionalCommit {
  const header = commit.header ?? null;
  return {
    hash: String(commit.hash ?? ''),
    type: commit.type ?? null,
    scope: commit.scope ?? null,
    subject: commit.subject ?? null,
    header,
    breaking: commit.notes.some((n) => /BREAKING/.test(n.title)) || /^\w*(\([^)]*\))?!:/.test(header ?? ''),
    reverts: commit.revert ? String(commit.revert.header ?? commit.revert.hash ?? '') : null,
  };
}

/** The commits after `from` (a tag, or null for the whole history) up to HEAD, newest first, reverts cancelled. */
export async function conventionalCommits(repo: string, from: string | null): Promise<ParsedConventionalCommit[]> {
  const client = new ConventionalGitClient(repo);
  const out: ParsedConventionalCommit[] = [];
  // `-hash-` is a field the parser reads, and the revert filter matches reverted commits by hash.
  for await (const commit of client.getCommits(
    { from: from ?? undefined, format: '%B%n-hash-%n%H', filterReverts: true },
    PARSER_OPTIONS,
  )) {
    out.push(converted(commit));
  }
  return out;
}
