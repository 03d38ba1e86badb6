import { Command } from 'commander';
import type { CliIo } from '../../io.js';
import { collectLabels, repoPath } from '../shared.js';
import type { CheckOptions } from './run.js';

export function changelogCommand(io: CliIo): Command {
  const changelog = new Command('changelog').description('Keep a Changelog checks, release notes and drafts');
  changelog
    .command('check')
    .description(
      'Check CHANGELOG.md: updated since the base, Keep a Changelog structure, and the version the label releases on top',
    )
    .option(
      '-l, --label <label>',
      "the pull request's labels (repeat or comma-separate); decides the expected top version",
      collectLabels,
    )
    .option(
      '--base <ref>',
      "the pull request's base (e.g. origin/main): the changelog must have changed since, unless bumpless",
    )
    .option('--repo <dir>', 'git repository (default: the current directory)')
    .option('--file <path>', 'changelog path inside the repository', 'CHANGELOG.md')
    .option('--tag-prefix <prefix>', 'prefix of version tags', 'v')
    .option('--json', 'print the result as JSON', false)
    .addHelpText(
      'after',
      `
Every failure is one line FILE:LINE: what is wrong and how to fix it. Exit status 1 when a rule fails.
With --base only the version sections the pull request added or edited can fail; problems in older sections are
printed as notices (stderr). Without --base the whole file is checked.
With label major/minor/patch the newest version heading must be the version that label releases
(see gunw release plan); with bumpless no heading newer than the current release may be added.`,
    )
    .action(async (options: CheckOptions) => {
      const { runCheck } = await import('./run.js');
      await runCheck(io, repoPath(io, options.repo), options);
    });
  changelog
    .command('notes')
    .description('Print the section of one version, up to the next version heading: the release notes')
    .argument('<version>', 'version, e.g. 0.4.0 or v0.4.0')
    .option('--repo <dir>', 'git repository (default: the current directory)')
    .option('--file <path>', 'changelog path inside the repository', 'CHANGELOG.md')
    .action(async (version: string, options: { repo?: string; file: string }) => {
      const { runNotes } = await import('./run.js');
      await runNotes(io, repoPath(io, options.repo), options.file, version);
    });
  changelog
    .command('draft')
    .description('Draft an [Unreleased] section from the Conventional Commit messages since the last version tag')
    .option('--repo <dir>', 'git repository (default: the current directory)')
    .addHelpText(
      'after',
      '\nfeat → Added, fix → Fixed, perf/refactor → Changed, revert → Removed; a "!" or BREAKING CHANGE is marked.\nA commit reverted since the tag is left out together with its revert. Paste and edit.',
    )
    .action(async (options: { repo?: string }) => {
      const { runDraft } = await import('./run.js');
      await runDraft(io, repoPath(io, options.repo));
    });
  return changelog;
}
