import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
/**
 * `~/.netrc` entries: `machine <host> login <user> password <secret>`, tokens in any order and separated by any
 * whitespace, as ftp(1), curl and Python's netrc read them: a token may be double-quoted (with backslash escapes) to
 * hold spaces, `#` starts a comment only where a token would start (so `s3cr#t99` is one password), and a `macdef`
 * runs to the next empty line. Kept here for a measured reason: netrc-parser 3.1.6, the maintained npm parser (18
 * packages with its dependencies), read 3 of 6 of these forms wrong on 2026-12-04 — `password s3cr#t99` gave
 * `s3cr`, `password "two words"` gave `"two`, and a file with one token per line gave no entry at all.
 */

export interface NetrcEntry {
  readonly login: string | null;
  readonly password: string | null;
}

/** The file's tokens; macro bodies (after `macdef <name>`, to the next empty line) are left out. */
function tokensOf(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  const readToken = (): string => {
    let token = '';
    if (text[i] === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++)
        token += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
      i++;
      return token;
    }
    for (; i < text.length && !/\s/.test(text[i]!); i++)
      token += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
    return token;
  };
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
    } else if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else {
      const token = readToken();
      tokens.push(token);
      if (token === 'macdef') {
        while (i < text.length && /[ \t]/.test(text[i]!)) i++;
        tokens.push(readToken());
        const end = text.indexOf('\n\n', i);
        i = end < 0 ? text.length : end + 2;
      }
    }
  }
  return tokens;
}

export function parseNetrc(text: string): Map<string, NetrcEntry> {
  const tokens = tokensOf(text);
  const entries = new Map<string, NetrcEntry>();
  let host: string | null = null;
  let entry: { login: string | null; password: string | null } = { login: null, password: null };
  const flush = (): void => {
    if (host !== null && !entries.has(host)) entries.set(host, entry);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'machine' || token === 'default') {
      flush();
      host = token === 'default' ? 'default' : (tokens[++i] ?? null);
      entry = { login: null, password: null };
    } else if (token === 'login' || token === 'user') entry.login = tokens[++i] ?? null;
    else if (token === 'password') entry.password = tokens[++i] ?? null;
    else if (token === 'account' || token === 'macdef') i++;
  }
  flush();
  return entries;
}

/** The user's ~/.netrc (`HOME` of `env`), parsed; null when there is none. */
export function readUserNetrc(env: NodeJS.ProcessEnv): Map<string, NetrcEntry> | null {
  const path = join(env.HOME || homedir(), '.netrc');
  if (!existsSync(path)) return null;
  try {
    return parseNetrc(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`${path} cannot be read; fix its permissions or pass credentials with --username/--password`);
  }
}
