/**
 * Keeping secrets out of everything the project prints or writes: stdout and stderr, reports, plan.json,
 * run-state.json, logs and product attributes. Secrets are found by where they sit (credentials inside URLs, secret
 * query parameters such as presigned-URL signatures, Authorization headers, `curl -u`, options and settings whose
 * names say they hold secrets) and, where the program knows them, by their values ({@link secretMask}).
 */

export const REDACTED = '***';

/** Names of options, settings and environment variables whose values are secrets. */
const SECRET_NAME = /pass(word|phrase)?|passwd|pwd|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|credential/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Query parameters that carry credentials: tokens, keys, passwords, sessions, OAuth codes and the parts of presigned
 * URLs that grant access.
 */
const SECRET_QUERY =
  /^(.*token.*|.*secret.*|.*password.*|.*passphrase.*|passwd|pass|pw|pwd|key|api[-_]?key|access[-_]?key(id)?|accesskey(id)?|private[-_]?key|session([-_]?(id|key))?|sid|code|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|awsaccesskeyid|client_secret|auth|credentials?)$/i;

/** A URL with its user information and secret query values replaced by `***`; unparseable text is left as it is. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = REDACTED;
    parsed.password = '';
    changed = true;
  }
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (SECRET_QUERY.test(name)) {
      parsed.searchParams.set(name, REDACTED);
      changed = true;
      continue;
    }
    // A URL inside a URL (a redirect target, a proxied link), percent-encoded: its own credentials go too.
    const values = parsed.searchParams.getAll(name);
    const redacted = values.map((v) => (v.includes('://') ? redactText(v) : v));
    if (redacted.some((v, k) => v !== values[k])) {
      parsed.searchParams.delete(name);
      for (const v of redacted) parsed.searchParams.append(name, v);
      changed = true;
    }
  }
  // URL serialisation percent-encodes the mask; keep it readable.
  return changed ? parsed.toString().replaceAll('%2A%2A%2A', REDACTED) : url;
}

/** Words whose value, after `=`, `:` or a space, is a secret (netrc's `password X` among them). */
const SECRET_WORDS = String.raw`password|passwd|pwd|passphrase|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|credential|client[-_]?secret`;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
/** A whole URL percent-encoded into text (`https%3A%2F%2Fuser%3Apw%40host`). */
const ENCODED_URL = /\b[a-z][a-z0-9+.-]*%3A%2F%2F[^\s"'<>`&]+/gi;
const AUTHORIZATION = /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token|digest)\s+)?[^\s"',;]+/gi;
const COOKIE = /(\b(?:set-)?cookie["']?\s*[:=]\s*["']?)[^\n"']+/gi;
const BEARER = /\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const CURL_USER = /((?:^|\s)(?:-u|--user|--proxy-user)(?:\s+|=))("[^"]*"|'[^']*'|\S+)/g;
/** `sshpass -p X`, `mysql … -pX`: tools whose `-p` takes the password. */
const DASH_P = /(\b(?:sshpass|mysql|mysqldump|mariadb|mariadb-dump)\b[^\n]*?\s-p)(\s*)("[^"]*"|'[^']*'|[^\s"']+)/g;
const SECRET_OPTION = new RegExp(
  String.raw`((?:--|\+\+)[\w-]*(?:pass(?:word|phrase)?|passwd|pwd|token|secret|api[-_]?key|access[-_]?key|credential)[\w-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)`,
  'gi',
);
/** An argument list written as JSON or Python: `["--password", "X"]`. */
const SECRET_OPTION_LISTED = new RegExp(
  String.raw`(["'](?:--|\+\+)[\w-]*(?:pass(?:word|phrase)?|passwd|pwd|token|secret|api[-_]?key|access[-_]?key|credential)[\w-]*["']\s*,\s*["'])([^"']*)(["'])`,
  'gi',
);
const SECRET_ASSIGNMENT = new RegExp(
  String.raw`(\b[\w.-]*(?:${SECRET_WORDS})[\w.-]*["']?\s*=\s*|\bpw\s*=\s*)("[^"]*"|'[^']*'|[^\s,;&"'<>]+)`,
  'gi',
);
const SECRET_FIELD = new RegExp(
  String.raw`(\b[\w.-]*(?:${SECRET_WORDS})[\w.-]*["']?\s*:\s*)("[^"]*"|'[^']*'|[^\s,;&"'<>{}[\]]+)`,
  'gi',
);
/** netrc: `password X` with only a space between, at the start of a line or after its `machine`/`login` words. */
const SECRET_SPACED =
  /((?:^|\n|\b(?:machine|login|account)[ \t]+\S+)[ \t]*(?:password|passwd|pwd|passphrase)[ \t]+)([^\s"'<>()]+)/gi;

/** A placeholder in usage text (`<password>`, `[password]`): the name of a value, not one. */
const PLACEHOLDER = /^(<[^<>]*>|\[[^[\]]*\])$/;
/** scp and ssh style `user:password@host`. */
const USER_PASSWORD_HOST = /(\b[\w.+-]+:)([^\s:@/"'<>]+)(@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?=[:/\s"'<>]|$))/g;
/** Token formats that say what they are: GitHub, AWS access key ids, Slack, GitLab personal tokens, JSON Web Tokens. */
const KNOWN_TOKENS =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b/g;

/**
 * Whether the value after `name:` looks like a credential rather than a word: quoted, or with a digit or symbol, or
 * long. "input github-token: required" keeps its word; "password: s3cr#t99" loses its value.
 */
function looksSecret(value: string): boolean {
  if (value === REDACTED || value === `"${REDACTED}"` || value === `'${REDACTED}'`) return false;
  const bare = value.replace(/^["']|["']$/g, '');
  if (bare.length === 0) return false;
  if (/^["']/.test(value)) return true;
  return bare.length >= 12 || /[^A-Za-z]/.test(bare);
}

const maskQuoted = (value: string): string => (/^["']/.test(value) ? `${value[0]}${REDACTED}${value[0]}` : REDACTED);

function redactEncodedUrl(encoded: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
  const redacted = redactText(decoded);
  return redacted === decoded ? encoded : encodeURIComponent(redacted).replaceAll('%2A%2A%2A', REDACTED);
}

/** Free text with every secret it shows by its place or its form replaced by `***`. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(ENCODED_URL, (encoded) => redactEncodedUrl(encoded))
    .replace(URL_IN_TEXT, (url) => redactUrl(url))
    .replace(KNOWN_TOKENS, REDACTED)
    .replace(AUTHORIZATION, (_all, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${REDACTED}`)
    .replace(COOKIE, (_all, head: string) => `${head}${REDACTED}`)
    .replace(BEARER, (all, scheme: string, space: string) =>
      all.endsWith(REDACTED) ? all : `${scheme}${space}${REDACTED}`,
    )
    .replace(CURL_USER, (_all, head: string) => `${head}${REDACTED}`)
    .replace(DASH_P, (_all, head: string, space: string, value: string) => `${head}${space}${maskQuoted(value)}`)
    .replace(SECRET_OPTION, (all, name: string, separator: string, value: string) =>
      PLACEHOLDER.test(value) ? all : `${name}${separator}${maskQuoted(value)}`,
    )
    .replace(SECRET_OPTION_LISTED, (_all, head: string, _value: string, tail: string) => `${head}${REDACTED}${tail}`)
    .replace(SECRET_ASSIGNMENT, (_all, head: string, value: string) => `${head}${maskQuoted(value)}`)
    .replace(SECRET_FIELD, (all, head: string, value: string) =>
      looksSecret(value) ? `${head}${maskQuoted(value)}` : all,
    )
    .replace(SECRET_SPACED, (all, head: string, value: string) => (looksSecret(value) ? `${head}${REDACTED}` : all))
    .replace(USER_PASSWORD_HOST, (_all, user: string, _password: string, host: string) => `${user}${REDACTED}${host}`);
}

/**
 * Characters that continue a word, a name or a number: a secret's value is masked only where it stands as a whole
 * token, never inside a longer one. So a password that is also part of a date, a scene name or a product ID
 * (`2022`, `S1A_IW_SLC`) changes nothing else, and plans and products stay intact.
 */
const TOKEN_CHARACTER = /[\p{L}\p{N}_.+~-]/u;

/**
 * A mask for text that may reach a log, plan or report: every known secret value (and its URL-encoded form) is
 * replaced by `***` where it stands as a whole token (see {@link TOKEN_CHARACTER}).
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
  const standsAlone = (text: string, start: number, end: number): boolean =>
    (start === 0 || !TOKEN_CHARACTER.test(text[start - 1]!)) &&
    (end === text.length || !TOKEN_CHARACTER.test(text[end]!));
  return (text) =>
    patterns.reduce((out, pattern) => {
      let result = '';
      let from = 0;
      for (let at = out.indexOf(pattern); at >= 0; at = out.indexOf(pattern, at + 1)) {
        if (at < from || !standsAlone(out, at, at + pattern.length)) continue;
        result += out.slice(from, at) + REDACTED;
        from = at + pattern.length;
      }
      return result + out.slice(from);
    }, text);
}
