import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { z } from 'zod';
import { Git } from '../../io/git.js';
import { GitHubRepo } from '../../io/github.js';
import { decidingLabels } from '../../release/labels.js';
import { checkChangelogIn } from '../../release/workspace.js';
import { readContext, requirePullRequest } from '../shared/context.js';
import { LABEL_NAMES_DEFAULT, labelNames, readInputs } from '../shared/inputs.js';
import { writeSummary } from '../shared/run.js';

function parseInputs() {
  const raw = readInputs(
    {
      'github-token': z.string({ message: 'required (a token that can read pull requests)' }),
      path: z.string().default('CHANGELOG.md'),
      labels: labelNames.prefault(LABEL_NAMES_DEFAULT),
      'tag-prefix': z.string().default('v'),
      'release-branch': z.string().default('main'),
    },
    ['tag-prefix'],
  );
  return {
    token: raw['github-token'],
    path: raw.path,
    names: raw.labels,
    tagPrefix: raw['tag-prefix'],
    releaseBranch: raw['release-branch'],
  };
}

/** The changelog check on a pull request: annotations on the offending lines and a job summary. */
export async function run(): Promise<void> {
  const inputs = parseInputs();
  const context = readContext();
  const number = requirePullRequest(context, 'changelog');
  const github = new GitHubRepo(inputs.token, context.owner, context.repo, context.apiUrl);
  const labels = (await github.pullRequest(number)).labels;
  const pullBase = (context.payload.pull_request as { base?: { sha?: string; ref?: string } }).base;
  const base = pullBase?.sha;
  const useLabels =
    decidingLabels(labels, { base: pullBase?.ref, releaseBranch: inputs.releaseBranch }, inputs.names) ?? undefined;
  let text: string;
  try {
    text = readFileSync(join(context.workspace, inputs.path), 'utf8');
  } catch {
    throw new Error(
      `${inputs.path} not found in the checkout (set input path, and run actions/checkout with fetch-depth: 0 first)`,
    );
  }
  const result = await checkChangelogIn(
    new Git(context.workspace),
    { path: inputs.path, text },
    { labels: useLabels, base, prefix: inputs.tagPrefix, names: inputs.names },
  );
  for (const failure of result.failures)
    core.error(failure.message, { file: inputs.path, startLine: failure.line, title: 'Changelog' });
  for (const notice of result.notices)
    core.notice(notice.message, {
      file: inputs.path,
      startLine: notice.line,
      title: 'Changelog - older section (reported only)',
    });
  core.setOutput('expected-version', result.expectation.kind === 'release' ? result.expectation.nextVersion : '');
  core.setOutput('failures', String(result.failures.length));
  await writeSummary((summary) => {
    summary.addHeading(`Changelog: ${result.failures.length === 0 ? 'ok' : `${result.failures.length} problem(s)`}`, 3);
    if (result.expectation.kind === 'release')
      summary.addRaw(
        `Label <code>${result.expectation.label}</code> releases <b>${result.expectation.nextVersion}</b>.`,
        true,
      );
    if (result.failures.length > 0)
      summary.addTable([
        [
          { data: 'line', header: true },
          { data: 'problem', header: true },
        ],
        ...result.failures.map((f) => [String(f.line), f.message]),
      ]);
    return summary;
  });
  if (result.failures.length > 0)
    throw new Error(`${inputs.path}: ${result.failures.length} problem(s); see the annotations`);
  core.info(`${inputs.path}: ok`);
}
