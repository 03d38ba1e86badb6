/** `~/.netrc` entries: `machine <host> login <user> password <secret>` (tokens in any order, any whitespace). */

export interface NetrcEntry {
  readonly login: string | null;
  readonly password: string | null;
}

export function parseNetrc(text: string): Map<string, NetrcEntry> {
  const tokens = text.replace(/#.*$/gm, '').split(/\s+/).filter((t) => t.length > 0);
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
