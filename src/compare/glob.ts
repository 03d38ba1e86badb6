/**
 * Globs over product paths (`/science/grids/data/unwrappedPhase`, or `path@attribute` for attributes):
 * `**` matches across `/`, `*` and `?` stay within one path segment. Everything else is literal. Not picomatch: in
 * its syntax `@(…)`, `{a,b}`, `[…]` and a leading `!` mean something, and `@` separates an attribute here, so the
 * same profile would match other paths; this documented subset is these 25 lines.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` may also match nothing, so `**/coherence` matches `/coherence` and `/a/b/coherence`.
      if (glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
