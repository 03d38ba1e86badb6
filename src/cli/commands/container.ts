import { Command } from 'commander';
import { sourceDate } from '../../release/dev-version.js';
import type { CliIo } from '../io.js';
import { parseHashLength, printJson, repoPath } from './shared.js';

interface ContainerOptions {
  readonly ref: string;
  readonly repo?: string;
  readonly image?: string;
  readonly developBranch: string;
  readonly releaseBranch: string;
  readonly tagPrefix: string;
  readonly title?: string;
  readonly description?: string;
  readonly source?: string;
  readonly licenses?: string;
  readonly hashLength: number;
  readonly json: boolean;
}

export function containerCommand(io: CliIo): Command {
  const container = new Command('container').description('Container image tags and OCI labels');
  container
    .command('tags')
    .description('The image tags and OCI labels for a build of HEAD at a git ref')
    .requiredOption(
      '--ref <ref>',
      'the git ref being built: refs/heads/dev, refs/heads/main, refs/tags/v1.2.3, refs/pull/12/merge',
    )
    .option('--repo <dir>', 'git repository (default: the current directory)')
    .option('--image <name>', 'image name to prefix the tags with, e.g. ghcr.io/owner/repo')
    .option('--develop-branch <name>', 'branch whose builds are tagged test', 'dev')
    .option('--release-branch <name>', 'branch whose tagged builds are tagged latest', 'main')
    .option('--tag-prefix <prefix>', 'prefix of release tags', 'v')
    .option('--title <text>', 'org.opencontainers.image.title')
    .option('--description <text>', 'org.opencontainers.image.description')
    .option('--source <url>', 'org.opencontainers.image.source (and url)')
    .option('--licenses <spdx>', 'org.opencontainers.image.licenses')
    .option('--hash-length <n>', 'hex digits of the commit in development versions', parseHashLength, 9)
    .option('--json', 'print tags, references and labels as JSON', false)
    .addHelpText(
      'after',
      `
Rules: the develop branch gets the development version (+ → _) and test; a release tag (or the release branch at
a release tag) gets the version and latest; a pull request gets pr-<number>; the release branch before its tag
exists gets only its development version, so latest never points at an untagged image. A tag ref must name a tag
at HEAD; its version is that tag's. A dirty tree's date is SOURCE_DATE_EPOCH when set.`,
    )
    .action(async (options: ContainerOptions) => {
      const [{ Git }, { containerTagsIn }] = await Promise.all([
        import('../../io/git.js'),
        import('../../release/workspace.js'),
      ]);
      const result = await containerTagsIn(
        new Git(repoPath(io, options.repo)),
        {
          ref: options.ref,
          image: options.image,
          developBranch: options.developBranch,
          releaseBranch: options.releaseBranch,
          tagPrefix: options.tagPrefix,
          metadata: {
            title: options.title,
            description: options.description,
            source: options.source,
            licenses: options.licenses,
          },
        },
        { today: sourceDate(process.env.SOURCE_DATE_EPOCH), hashLength: options.hashLength },
      );
      if (options.json) printJson(io, result);
      else {
        for (const tag of result.references.length > 0 ? result.references : result.tags) io.stdout(`${tag}\n`);
        for (const note of result.notes) io.stderr(`note: ${note}\n`);
      }
    });
  return container;
}
