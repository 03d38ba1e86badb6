import * as core from '@actions/core';
import { redactText } from '../../redaction.js';
import { escapeMarkup } from '../../text.js';

/**
 * Run an action's main function: any failure becomes one `setFailed` line (secrets redacted), whatever was thrown,
 * and the same line in the job summary under the action's `title`, where a reader of the run looks first. The
 * action's exit code is set by @actions/core; nothing here calls process.exit.
 */
export async function runAction(main: () => Promise<void>, title: string): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = redactText(message.split('\n')[0] ?? message);
    core.setFailed(line);
    try {
      await writeSummary((summary) =>
        summary.addHeading(`${escapeMarkup(title)}: failed`, 3).addRaw(`<p>${escapeMarkup(line)}</p>`, true),
      );
    } catch {
      // A summary that cannot be written must not hide the failure itself, which is already reported.
    }
  }
}

/** Write the job summary when the runner provides one (local runs of the action have none). */
export async function writeSummary(build: (summary: typeof core.summary) => typeof core.summary): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await build(core.summary).write();
}
