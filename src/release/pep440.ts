/**
 * PEP 440 versions, as far as setuptools_scm's default scheme needs them: parse a tag leniently (the way
 * `packaging.version.Version` normalises it) and print the normalised form.
 *
 * Why not a library: measured on 44 spellings against Python's packaging 23 (test/release/pep440.test.ts), this
 * reader agrees on all 44; @renovatebot/pep440 5.0.1, the maintained npm one, prints 2 of them differently — its
 * `clean` joins local segments with commas (`1.0+ubuntu-1` → `1.0+ubuntu,1` where packaging gives
 * `1.0+ubuntu.1`), and local versions are what setuptools_scm writes for every untagged commit.
 */

export interface Pep440Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: { readonly label: 'a' | 'b' | 'rc'; readonly number: number } | null;
  readonly post: number | null;
  readonly dev: number | null;
  readonly local: string | null;
}

// The grammar of PEP 440 appendix B, with its lenient spellings (alpha, beta, c, pre, preview, rev, r, -N).
const PATTERN = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preLabel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preNumber>[0-9]+)?)?' +
    '(?<post>(?:-(?<postImplicit>[0-9]+))|(?:[-_.]?(?<postLabel>post|rev|r)[-_.]?(?<postNumber>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devLabel>dev)[-_.]?(?<devNumber>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

function preLabel(text: string): 'a' | 'b' | 'rc' {
  const lower = text.toLowerCase();
  if (lower === 'alpha' || lower === 'a') return 'a';
  if (lower === 'beta' || lower === 'b') return 'b';
  return 'rc';
}

export function parsePep440(text: string): Pep440Version | null {
  const match = PATTERN.exec(text);
  if (!match?.groups) return null;
  const g = match.groups;
  const post =
    g.postImplicit !== undefined
      ? Number(g.postImplicit)
      : g.postLabel !== undefined
        ? Number(g.postNumber ?? 0)
        : null;
  return {
    epoch: Number(g.epoch ?? 0),
    release: g.release!.split('.').map(Number),
    pre: g.preLabel ? { label: preLabel(g.preLabel), number: Number(g.preNumber ?? 0) } : null,
    post,
    dev: g.devLabel ? Number(g.devNumber ?? 0) : null,
    local: g.local ? g.local.toLowerCase().replace(/[-_]/g, '.') : null,
  };
}

export function formatPep440(v: Pep440Version): string {
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre.label}${v.pre.number}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local}`;
  return out;
}

/** A version written exactly as PEP 440 normalises it (`0.4.1.dev3+gabc1234`), not merely one it can read. */
export function isNormalPep440(text: string): boolean {
  const version = parsePep440(text);
  return version !== null && formatPep440(version) === text;
}

export function isFinalRelease(v: Pep440Version): boolean {
  return v.pre === null && v.dev === null;
}
