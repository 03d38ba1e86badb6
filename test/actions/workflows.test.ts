import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LABEL_KINDS } from '../../src/release/labels.js';

const dir = join(import.meta.dirname, '../../.github/workflows');
const workflows = readdirSync(dir).filter((f) => f.endsWith('.yml'));

interface Step {
  run?: string;
  uses?: string;
}
interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, { steps: Step[] }>;
}

describe("this repository's workflows", () => {
  it.each(workflows)('%s declares least-privilege permissions', (file) => {
    const workflow = parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
    expect(workflow.permissions, 'a top-level permissions block').toBeDefined();
    expect(Object.values(workflow.permissions!).every((p) => p === 'read' || p === 'write')).toBe(true);
  });

  it.each(workflows)('%s puts no event text into run: scripts (script injection)', (file) => {
    const workflow = parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps) expect(step.run ?? '').not.toMatch(/\$\{\{\s*github\.event\./);
  });

  it("dogfoods the repository's own actions, and serialises releases", () => {
    const uses = workflows.flatMap((file) => {
      const workflow = parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
      return Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.uses ?? ''));
    });
    for (const action of [
      './actions/labeled-pr',
      './actions/changelog',
      './actions/release',
      './actions/container',
      './actions/regression',
    ])
      expect(uses).toContain(action);
    const release = parse(readFileSync(join(dir, 'release.yml'), 'utf8')) as Workflow;
    expect(release.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
  });

  it('declares in action.yml exactly the inputs the regression action reads', () => {
    const action = parse(readFileSync(join(import.meta.dirname, '../../actions/regression/action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const source = readFileSync(join(import.meta.dirname, '../../src/actions/regression/main.ts'), 'utf8');
    const read = [...source.matchAll(/^ {4}'?([a-z][a-z0-9-]*)'?: z(?:\.|$)/gm)].map((m) => m[1]);
    expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
  });

  it("posts a fork's regression report only from the base branch's code, with the artifact of the triggering run", () => {
    const workflow = parse(readFileSync(join(dir, 'regression-comment.yml'), 'utf8')) as Workflow & {
      on: Record<string, unknown>;
    };
    expect(Object.keys(workflow.on)).toEqual(['workflow_run']);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps) as (Step & {
      with?: Record<string, string>;
    })[];
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.ref).toBe(
      '${{ github.event.repository.default_branch }}',
    );
    expect(steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with?.['run-id']).toBe(
      '${{ github.event.workflow_run.id }}',
    );
    const post = steps.find((s) => s.uses === './actions/regression')!;
    expect(post.with).toMatchObject({ mode: 'comment' });
    expect(post.with).not.toHaveProperty('pr-number');
  });

  it('builds the release image and fast-forwards dev from the release workflow itself, needing no extra secret', () => {
    const workflow = parse(readFileSync(join(dir, 'release.yml'), 'utf8')) as Workflow;
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps) as (Step & {
      id?: string;
      if?: string;
      with?: Record<string, string>;
      env?: Record<string, string>;
    })[];
    expect(JSON.stringify(workflow)).not.toContain('secrets.');
    expect(workflow.permissions).toMatchObject({ contents: 'write', packages: 'write' });
    const release = steps.findIndex((s) => s.uses === './actions/release');
    const image = steps.findIndex((s) => s.uses === './actions/container');
    const fastForward = steps.findIndex((s) => (s.run ?? '').includes('git push origin "HEAD:refs/heads/${DEVELOP}"'));
    expect(release).toBeGreaterThanOrEqual(0);
    expect(image).toBeGreaterThan(release);
    expect(fastForward).toBeGreaterThan(image);
    expect(steps[image]!.with!.ref).toBe('refs/tags/${{ steps.release.outputs.tag }}');
    for (const i of [image, fastForward])
      expect(steps[i]!.if).toBe(`steps.${steps[release]!.id}.outputs.released == 'true'`);
    // git push refuses anything but a fast-forward; no --force anywhere.
    expect(steps[fastForward]!.run).not.toMatch(/--force|\s-f\b|\+HEAD/);
  });

  it('gives every action that reads release labels the same names, in the order of the one definition', () => {
    for (const name of ['changelog', 'labeled-pr', 'release']) {
      const action = parse(readFileSync(join(import.meta.dirname, `../../actions/${name}/action.yml`), 'utf8')) as {
        inputs: Record<string, { default?: string; description: string }>;
      };
      expect(action.inputs.labels!.default, name).toBe(LABEL_KINDS.join(', '));
      expect(action.inputs.labels!.description, name).toContain(LABEL_KINDS.join(', '));
    }
  });

  it('the container action runs no input text inside its run: script', () => {
    const action = parse(readFileSync(join(import.meta.dirname, '../../actions/container/action.yml'), 'utf8')) as {
      runs: { steps: Step[] };
    };
    for (const step of action.runs.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
  });
});

describe('the adoption block of actions/README.md', () => {
  const readme = readFileSync(join(import.meta.dirname, '../../actions/README.md'), 'utf8');
  const block = /^## Adopting the actions[\s\S]*?^```yaml\n([\s\S]*?)^```/m.exec(readme)?.[1];
  const workflow = parse(block ?? '') as {
    on: { pull_request?: { types?: string[] }; push?: { branches?: string[] } };
    jobs: Record<
      string,
      { permissions?: Record<string, string>; steps: (Step & { with?: Record<string, unknown> })[] }
    >;
  };

  it('is one workflow whose every job states its permissions and whose checks re-run on label changes', () => {
    expect(block).toBeDefined();
    expect(workflow.on.pull_request?.types).toEqual(expect.arrayContaining(['labeled', 'unlabeled', 'synchronize']));
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job.permissions, name).toBeDefined();
      expect(
        Object.values(job.permissions!).every((p) => p === 'read' || p === 'write'),
        name,
      ).toBe(true);
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with?.['fetch-depth'], `${name}: versions need the full history`).toBe(0);
    }
  });

  it('uses every release action by a pinned tag, with only inputs the action declares', () => {
    const used = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses?.startsWith('OWNER/')));
    expect(new Set(used.map((s) => /actions\/([\w-]+)@/.exec(s.uses!)?.[1]))).toEqual(
      new Set(['labeled-pr', 'changelog', 'release', 'container']),
    );
    for (const step of used) {
      expect(step.uses).toMatch(/^OWNER\/REPO\/actions\/[\w-]+@vX\.Y\.Z$/);
      const name = /actions\/([\w-]+)@/.exec(step.uses!)![1]!;
      const action = parse(readFileSync(join(import.meta.dirname, `../../actions/${name}/action.yml`), 'utf8')) as {
        inputs: Record<string, unknown>;
      };
      for (const input of Object.keys(step.with ?? {}))
        expect(Object.keys(action.inputs), `${name}: ${input}`).toContain(input);
    }
  });

  it('creates exactly the labels the actions read', () => {
    const created = [...readme.matchAll(/^gh label create (\w+)/gm)].map((m) => m[1]);
    expect(created).toEqual([...LABEL_KINDS]);
  });
});
