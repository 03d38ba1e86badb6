import * as core from '@actions/core';
import { Git } from '../../io/git.js';
import { containerTagsIn } from '../../release/workspace.js';
import { readContext } from '../shared/context.js';
import { input, writeSummary } from '../shared/run.js';

interface Inputs {
  readonly image: string;
  readonly ref: string;
  readonly developBranch: string;
  readonly releaseBranch: string;
  readonly tagPrefix: string;
  readonly title: string;
  readonly description: string;
  readonly licenses: string;
}

function parseInputs(ref: string): Inputs {
  return {
    image: input('image'),
    ref: input('ref', ref),
    developBranch: input('develop-branch', 'dev'),
    releaseBranch: input('release-branch', 'main'),
    tagPrefix: input('tag-prefix', 'v'),
    title: input('title'),
    description: input('description'),
    licenses: input('licenses'),
  };
}

/** Compute the tags and OCI labels of a container build; the composite action then builds and pushes. */
export async function run(): Promise<void> {
  const context = readContext();
  const inputs = parseInputs(context.ref);
  if (!inputs.image) throw new Error('input image is required (e.g. ghcr.io/${{ github.repository }})');
  const source = `${context.serverUrl}/${context.owner}/${context.repo}`;
  const result = await containerTagsIn(
    new Git(context.workspace),
    {
      ref: inputs.ref,
      image: inputs.image,
      developBranch: inputs.developBranch,
      releaseBranch: inputs.releaseBranch,
      tagPrefix: inputs.tagPrefix,
      metadata: { title: inputs.title || context.repo, description: inputs.description || undefined, source, licenses: inputs.licenses || undefined },
    },
    { today: new Date() },
  );
  for (const note of result.notes) core.notice(note);
  core.setOutput('version', result.version);
  core.setOutput('tags', result.references.join('\n'));
  core.setOutput('labels', Object.entries(result.labels).map(([k, v]) => `${k}=${v}`).join('\n'));
  core.setOutput('json', JSON.stringify(result));
  await writeSummary((summary) => summary.addHeading('Container image', 3).addList(result.references.map((r) => `<code>${r}</code>`)));
}
