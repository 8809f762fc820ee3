/** Key names whose values are secrets wherever they appear in a log object (compared lower-case). */
const secretKeys = new Set([
  'authorization',
  'proxy-authorization',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
  'master_key',
  'masterkey',
  'password',
  'pass',
  'secret',
  'client_secret',
  'clientsecret',
  'azure_ad_token',
  'aws_secret_access_key',
  'secretaccesskey',
  'aws_session_token',
  'sessiontoken',
  'token',
  'access_token',
  'refresh_token',
  'private_key',
  'privatekey',
  'vertex_credentials',
  'vertexcredentials',
]);

export const REDACTED = '[redacted]';

/**
 * The user information of a URL (`scheme://user:password@`, `scheme://:password@`,
 * `scheme://token@`): groups 1 the scheme and `://`, 2 the user, 3 the password when there is
 * one. Stops at whitespace, quotes and the URL's `/ ? #`, so it never runs past the URL.
 */
const urlCredentials = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#@:"'<>]*)(?::([^\s/?#@"'<>]*))?@/g;

/**
 * Keeps a URL's user name when it has a password (`nats://user:[redacted]@host`,
 * `redis://:[redacted]@host`); a lone user part is a token (`nats://token@host`) and goes.
 */
function redactUrlCredentials(_match: string, scheme: string, user: string, password?: string) {
  return password === undefined ? `${scheme}${REDACTED}@` : `${scheme}${user}:${REDACTED}@`;
}

/**
 * Secret-looking values inside free text, each with its replacement: credentials inside URLs
 * (`redis://:pw@host`, `nats://user:pass@host`, `https://user:pw@…`), bearer credentials, the
 * key formats of the providers Switchyard talks to (OpenAI and Anthropic `sk-…`, Google
 * `AIza…` and `ya29.…` access tokens), PEM private keys (a cut-off one to the end of the text),
 * and keys passed as URL query parameters.
 */
const secretPatterns: ReadonlyArray<
  readonly [RegExp, (match: string, ...groups: string[]) => string]
> = [
  [urlCredentials, redactUrlCredentials],
  // PEM private keys (a Google service account's), raw or JSON-escaped.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, () => REDACTED],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*/g, () => REDACTED],
  // Google OAuth access tokens.
  [/\bya29\.[A-Za-z0-9._-]{8,}/g, () => REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, () => REDACTED],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, () => REDACTED],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, () => REDACTED],
  [/([?&](?:key|api_key|token)=)[^&\s"']+/gi, (_match, name) => `${name}${REDACTED}`],
];

/** Replaces secret-looking substrings of a string with `[redacted]`. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replace] of secretPatterns) out = out.replace(pattern, replace);
  return out;
}

const maxDepth = 8;

/**
 * Returns a copy of a log value with secrets removed: values under secret key names are
 * replaced, and secret-looking substrings of every string are masked. Objects deeper than
 * eight levels are cut, so a cyclic or huge object cannot stall logging.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Error) return redactError(value, depth);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = secretKeys.has(key.toLowerCase()) ? REDACTED : redactValue(inner, depth + 1);
  }
  return out;
}

function redactError(error: Error, depth: number): Record<string, unknown> {
  const own = redactValue({ ...error }, depth + 1) as Record<string, unknown>;
  return {
    ...own,
    type: error.name,
    message: redactText(error.message),
    stack: error.stack ? redactText(error.stack) : undefined,
    cause: error.cause === undefined ? undefined : redactValue(error.cause, depth + 1),
  };
}
