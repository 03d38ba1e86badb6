import * as core from '@actions/core';
import { redactSecrets } from '../../product/provenance.js';

/**
 * Run an action's main function: any failure becomes one `setFailed` line (secrets redacted), whatever was thrown.
 * The action's exit code is set by @actions/core; nothing here calls process.exit.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(redactSecrets(message.split('\n')[0] ?? message));
  }
}

/** Inputs are declared once per action; this reads one, trimmed, with the declared default when empty. */
export function input(name: string, fallback = ''): string {
  const value = core.getInput(name).trim();
  return value === '' ? fallback : value;
}

export function booleanInput(name: string, fallback: boolean): boolean {
  return core.getInput(name).trim() === '' ? fallback : core.getBooleanInput(name);
}

/** Bump label names from the `labels` input: "major, minor, patch, bumpless" (in that order). */
export function labelNamesInput(name = 'labels'): { major: string; minor: string; patch: string; bumpless: string } {
  const names = input(name, 'major, minor, patch, bumpless')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  if (names.length !== 4) throw new Error(`input ${name} must list four label names (major, minor, patch, bumpless), got "${names.join(', ')}"`);
  const [major, minor, patch, bumpless] = names as [string, string, string, string];
  return { major, minor, patch, bumpless };
}

/** Write the job summary when the runner provides one (local runs of the action have none). */
export async function writeSummary(build: (summary: typeof core.summary) => typeof core.summary): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await build(core.summary).write();
}
