import { Command } from 'commander';
import { ExitError } from '../../../errors.js';
import type { CliIo } from '../../io.js';
import { EXIT } from '../../exit-codes.js';
import { collectLabels, printJson, repoPath } from '../shared.js';

interface PlanOptions {
  readonly label: string[];
  readonly repo?: string;
  readonly tagPrefix: string;
  readonly json: boolean;
}

export function releaseCommand(io: CliIo): Command {
  const release = new Command('release').description('Plan releases from pull-request labels');
  release
    .command('plan')
    .description('The current version, and the version and tag a merge with these labels releases')
    .requiredOption(
      '-l, --label <label>',
      'a pull-request label (repeat or comma-separate); major, minor, patch or bumpless decide',
      collectLabels,
    )
    .option('--repo <dir>', 'git repository (default: the current directory)')
    .option('--tag-prefix <prefix>', 'prefix of version tags', 'v')
    .option('--json', 'print the plan as JSON', false)
    .addHelpText(
      'after',
      `
The current version is the highest version tag reachable from HEAD, annotated or lightweight, read as gunw version
and setuptools_scm read tags: v0.3.8 and 0.3.8 alike, pre-releases included (v1.0.0-rc.1 + patch → v1.0.0).
--tag-prefix only spells the new tag. With no version tag the first release bumps from 0.0.0 (minor → v0.1.0).
Labels match case-insensitively; exactly one of major, minor, patch, bumpless is the rule (the same as the
pull request, changelog and release checks); bumpless means no release. A shallow clone is refused (it lacks the
tags). Exit status 2 when the labels hold no release label or more than one.`,
    )
    .action(async (options: PlanOptions) => {
      const [{ Git }, { planReleaseIn }] = await Promise.all([
        import('../../../io/git.js'),
        import('../../../release/workspace.js'),
      ]);
      const plan = await planReleaseIn(new Git(repoPath(io, options.repo)), options.label, {
        prefix: options.tagPrefix,
      });
      if (options.json) printJson(io, plan);
      else {
        io.stdout(`current: ${plan.currentTag ?? '(no version tag)'}\n`);
        io.stdout(plan.release ? `next:    ${plan.nextTag} (${plan.bump})\n` : 'next:    no release\n');
        for (const note of plan.notes) io.stdout(`note:    ${note}\n`);
      }
      if (plan.error) {
        io.stderr(`error: ${plan.error}\n`);
        throw new ExitError(EXIT.usage);
      }
    });
  return release;
}
