import { UsageError } from '../errors.js';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,200}$/;

/**
 * A file name that came from outside (a server's answer, a URL, a case file) reduced to a plain name inside the
 * directory it is written to: only its last path component is kept, and that must be an ordinary file name
 * (letters, digits, `.`, `_`, `+`, `-`, not starting with a dot). Anything else is refused, naming where it came from.
 */
export function safeFileName(name: string, source: string): string {
  const base = name.split(/[/\\]/).at(-1) ?? '';
  if (!SAFE.test(base) || base.includes('..')) {
    throw new UsageError(
      `${source}: ${JSON.stringify(name.slice(0, 120))} is not a usable file name; it must be letters, digits, '.', '_', '+' or '-'`,
    );
  }
  return base;
}
