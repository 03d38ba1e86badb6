/**
 * A report written by a pull request's own code (a fork's, posted by a `workflow_run` job that holds a write token)
 * made safe to post: no more than GitHub shows, no HTML but the `<details>`/`<summary>` the report uses, and no
 * @-mention that would notify anyone.
 */

/** GitHub refuses comments over 65,536 characters; what is cut is said. */
export const UNTRUSTED_LIMIT = 60_000;

const ALLOWED_TAG = /^<\/?(details|summary)>$/i;

export function untrustedMarkdown(text: string, limit = UNTRUSTED_LIMIT): string {
  const cut =
    text.length > limit
      ? `${text.slice(0, limit)}\n\n… (cut at ${limit} characters: the full report is in the run's artifacts)\n`
      : text;
  return (
    cut
      // Every tag but the report's own is shown as text: no comment, image, link or script can hide or act.
      .replace(/<[^>]*>?/g, (tag) => (ALLOWED_TAG.test(tag) ? tag : tag.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
      // A zero-width space after @ keeps the text and stops GitHub from notifying the user or team.
      .replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, '$1@\u200b')
  );
}
