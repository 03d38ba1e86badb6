/**
 * Keeping secrets out of everything the project prints or writes: stdout and stderr, reports, plan.json,
 * run-state.json, logs and product attributes. Secrets are found by where they sit (credentials inside URLs, secret
 * query parameters such as presigned-URL signatures, Authorization headers, `curl -u`, options and settings whose
 * names say they hold secrets) and, where the program knows them, by their values ({@link secretMask}).
 */

export const REDACTED = '***';

/** Names of options, settings and environment variables whose values are secrets. */
const SECRET_NAME = /pass(word)?|passwd|token|secret|api[-_]?key|credential/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Query parameters that carry credentials: tokens, keys and the parts of presigned URLs that grant access. */
const SECRET_QUERY =
  /^(.*token.*|.*secret.*|.*password.*|passwd|pass|key|api[-_]?key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|awsaccesskeyid|client_secret|auth)$/i;

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
    if (!SECRET_QUERY.test(name)) continue;
    parsed.searchParams.set(name, REDACTED);
    changed = true;
  }
  // URL serialisation percent-encodes the mask; keep it readable.
  return changed ? parsed.toString().replaceAll('%2A%2A%2A', REDACTED) : url;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const AUTHORIZATION = /(\bauthorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token|digest)\s+)?[^\s"',;]+/gi;
const BEARER = /\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const CURL_USER = /((?:^|\s)(?:-u|--user|--proxy-user)(?:\s+|=))("[^"]*"|'[^']*'|\S+)/g;
const SECRET_OPTION =
  /((?:--|\+\+)[\w-]*(?:pass(?:word)?|passwd|token|secret|api[-_]?key|credential)[\w-]*)(=|\s+)("[^"]*"|'[^']*'|[^\s"']+)/gi;
const SECRET_ASSIGNMENT =
  /(\b[\w.-]*(?:password|passwd|token|secret|api[-_]?key|credential)[\w.-]*["']?\s*=\s*)("[^"]*"|'[^']*'|[^\s,;&"'<>]+)/gi;
const SECRET_FIELD =
  /(\b[\w.-]*(?:password|passwd|token|secret|api[-_]?key|credential)[\w.-]*["']?\s*:\s*)("[^"]*"|'[^']*'|[^\s,;&"'<>{}[\]]+)/gi;

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

/** Free text with every secret it shows by its place replaced by `***`. */
export function redactText(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(URL_IN_TEXT, (url) => redactUrl(url))
    .replace(AUTHORIZATION, (_all, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${REDACTED}`)
    .replace(BEARER, (all, scheme: string, space: string) =>
      all.endsWith(REDACTED) ? all : `${scheme}${space}${REDACTED}`,
    )
    .replace(CURL_USER, (_all, head: string) => `${head}${REDACTED}`)
    .replace(
      SECRET_OPTION,
      (_all, name: string, separator: string, value: string) => `${name}${separator}${maskQuoted(value)}`,
    )
    .replace(SECRET_ASSIGNMENT, (_all, head: string, value: string) => `${head}${maskQuoted(value)}`)
    .replace(SECRET_FIELD, (all, head: string, value: string) =>
      looksSecret(value) ? `${head}${maskQuoted(value)}` : all,
    );
}

/**
 * A mask for text that may reach a log, plan or report: every known secret value (and its URL-encoded and
 * Basic-auth forms) is replaced by `***`, whatever the text around it is.
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
