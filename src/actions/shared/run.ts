import * as core from '@actions/core';
import { redactText } from '../../redaction.js';

/**
 * Run an action's main function: any failure becomes one `setFailed` line (secrets redacted), whatever was thrown.
 * The action's exit code is set by @actions/core; nothing here calls process.exit.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(redactText(message.split('\n')[0] ?? message));
  }
}

/** Write the job summary when the runner provides one (local runs of the action have none). */
export async function writeSummary(build: (summary: typeof core.summary) => typeof core.summary): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await build(core.summary).write();
}
