import { Command } from 'commander';
import { sourceDate } from '../../release/dev-version.js';
import type { CliIo } from '../io.js';
import { parseDay, parseHashLength, printJson, repoPath } from './shared.js';

interface VersionOptions {
  readonly repo?: string;
  readonly hashLength: number;
  readonly date?: Date;
  readonly docker: boolean;
  readonly json: boolean;
}

export function versionCommand(io: CliIo): Command {
  return new Command('version')
    .description('The development version of a repository, exactly as setuptools_scm computes it (no Python needed)')
    .option('--repo <dir>', 'git repository (default: the current directory)')
    .option(
      '--hash-length <n>',
      'hex digits of the commit in +g<hash> (setuptools_scm 10: 9; before 8: 7)',
      parseHashLength,
      9,
    )
    .option(
      '--date <YYYY-MM-DD>',
      'the day stamped on a dirty tree (default: SOURCE_DATE_EPOCH if set, else today, UTC)',
      parseDay,
    )
    .option('--docker', 'print the Docker tag form (+ replaced by _)', false)
    .option('--json', 'print version, docker tag and what git said as JSON', false)
    .addHelpText(
      'after',
      `
Scheme (setuptools_scm guess-next-dev + node-and-date):
  on a clean tag v0.3.8            0.3.8
  148 commits after v0.2.1         0.2.2.dev148+g324ae4555
  ... with uncommitted changes     0.2.2.dev148+g324ae4555.d20261124
  no tag at all (5 commits)        0.1.dev5+gec8f815ab`,
    )
    .action(async (options: VersionOptions) => {
      const [{ Git }, { devVersionIn }] = await Promise.all([
        import('../../io/git.js'),
        import('../../release/workspace.js'),
      ]);
      const result = await devVersionIn(new Git(repoPath(io, options.repo)), {
        today: options.date ?? sourceDate(process.env.SOURCE_DATE_EPOCH),
        hashLength: options.hashLength,
      });
      if (options.json) printJson(io, result);
      else io.stdout(`${options.docker ? result.dockerTag : result.version}\n`);
    });
}
