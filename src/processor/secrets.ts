import { REDACTED } from '../product/provenance.js';

/**
 * A mask for text that may reach a log, plan or report: every known secret value (and its URL-encoded and
 * Basic-auth forms) is replaced by `***`, whatever the text around it is. Redacting by option name
 * (provenance.ts) handles the command line; this catches secrets that arrive by any other path.
 */
export function secretMask(secrets: readonly (string | null | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // Very short values would mask ordinary words; passwords that short are rejected by the services anyway.
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  const patterns = [...forms].sort((a, b) => b.length - a.length);
  if (patterns.length === 0) return (text) => text;
  return (text) => patterns.reduce((out, pattern) => out.split(pattern).join(REDACTED), text);
}
