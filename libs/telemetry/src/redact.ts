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
  'token',
  'access_token',
  'refresh_token',
]);

/**
 * Secret-looking values inside free text, each with its replacement: bearer credentials, the
 * key formats of the providers Switchyard talks to (OpenAI and Anthropic `sk-…`, Google
 * `AIza…`), and keys passed as URL query parameters.
 */
const secretPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '[redacted]'],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, '[redacted]'],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]'],
  [/([?&](?:key|api_key|token)=)[^&\s"']+/gi, '$1[redacted]'],
];

export const REDACTED = '[redacted]';

/** Replaces secret-looking substrings of a string with `[redacted]`. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
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
