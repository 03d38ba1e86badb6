import * as core from '@actions/core';
import { z } from 'zod';
import { Git } from '../../io/git.js';
import { GitHubRepo } from '../../io/github.js';
import { decideBump, decidingLabels } from '../../release/labels.js';
import { planReleaseIn, ShallowCloneError } from '../../release/workspace.js';
import { readContext, requirePullRequest } from '../shared/context.js';
import { LABEL_NAMES_DEFAULT, labelNames, readInputs } from '../shared/inputs.js';
import { writeSummary } from '../shared/run.js';

function parseInputs() {
  const raw = readInputs(
    {
      'github-token': z.string({ message: 'required (a token that can read pull requests)' }),
      labels: labelNames.prefault(LABEL_NAMES_DEFAULT),
      'tag-prefix': z.string().default('v'),
      'release-branch': z.string().min(1).default('main'),
    },
    ['tag-prefix'],
  );
  return {
    token: raw['github-token'],
    names: raw.labels,
    tagPrefix: raw['tag-prefix'],
    releaseBranch: raw['release-branch'],
  };
}

/** Exactly one bump label on the pull request; says which release merging it makes. */
export async function run(): Promise<void> {
  const inputs = parseInputs();
  const context = readContext();
  const number = requirePullRequest(context, 'labeled-pr');
  const github = new GitHubRepo(inputs.token, context.owner, context.repo, context.apiUrl);
  const labels = (await github.pullRequest(number)).labels;
  const base = (context.payload.pull_request as { base?: { ref?: string } } | undefined)?.base?.ref;
  const deciding = decidingLabels(labels, { base, releaseBranch: inputs.releaseBranch }, inputs.names);
  if (deciding === null) {
    core.setOutput('label', '');
    core.setOutput('bump', 'none');
    const why = `pull request #${number} into ${base ?? 'its base'} needs no release label (only merges into ${inputs.releaseBranch} release)`;
    core.info(why);
    await writeSummary((summary) => summary.addHeading('Release label', 3).addRaw(`${why}.`));
    return;
  }
  const decision = decideBump(deciding, inputs.names);
  if (decision.kind === 'error') throw new Error(`pull request #${number}: ${decision.message}`);
  const label = decision.label;
  core.setOutput('label', label);
  core.setOutput('bump', decision.kind === 'release' ? decision.bump : 'none');
  let consequence = 'merging it releases nothing';
  if (decision.kind === 'release') {
    try {
      const plan = await planReleaseIn(new Git(context.workspace), labels, {
        prefix: inputs.tagPrefix,
        names: inputs.names,
      });
      core.setOutput('next-version', plan.nextVersion ?? '');
      consequence = `merging it releases ${plan.nextTag}`;
    } catch (error) {
      // Without a checkout the label is still checked; a shallow one would name a wrong version, so it fails.
      if (error instanceof ShallowCloneError) throw error;
      consequence = `merging it makes a ${decision.bump} release (check out the repository with fetch-depth: 0 to see the version)`;
    }
  }
  core.info(`pull request #${number} is labelled ${label}: ${consequence}`);
  await writeSummary((summary) =>
    summary
      .addHeading('Release label', 3)
      .addRaw(`Pull request #${number} is labelled <code>${label}</code>: ${consequence}.`),
  );
}
