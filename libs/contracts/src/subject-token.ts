/**
 * The one rule that turns any name (a logical model name such as `openai/gpt-4o` or
 * `claude-3.5:latest`) into a single NATS subject token, and back.
 *
 * Rule: a character in `[A-Za-z0-9_-]` is written as itself; every other character is
 * written as its UTF-8 bytes, each byte as `~` followed by two UPPERCASE hex digits.
 * `openai/gpt-4o` → `openai~2Fgpt-4o`, `claude-3.5` → `claude-3~2E5`, `a b` → `a~20b`,
 * `é` → `~C3~A9`.
 *
 * A token therefore only ever contains `[A-Za-z0-9_~-]`: never `.`, `*`, `>` or whitespace,
 * so it is always exactly one token, never a wildcard. Every name has exactly one encoding,
 * and decoding accepts only that canonical encoding, so names and tokens correspond one to one.
 */

/** Thrown when a name cannot be encoded or a token is not the canonical encoding of a name. */
export class SubjectTokenError extends Error {
  override readonly name = 'SubjectTokenError';
}

const escapeMark = '~';
const keptChar = /^[A-Za-z0-9_-]$/;
const tokenChars = /^[A-Za-z0-9_~-]+$/;
const upperHexPair = /^[0-9A-F]{2}$/;

const utf8Encoder = new TextEncoder();
/** `fatal` rejects invalid UTF-8; `ignoreBOM` keeps an encoded U+FEFF instead of dropping it. */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isKeptByte(byte: number): boolean {
  return byte < 0x80 && keptChar.test(String.fromCharCode(byte));
}

function escapeChar(char: string): string {
  let out = '';
  for (const byte of utf8Encoder.encode(char)) {
    out += escapeMark + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Encodes a non-empty name as one NATS subject token (see the module comment for the rule).
 * Throws a SubjectTokenError for an empty name or one holding a lone UTF-16 surrogate (such a
 * string has no UTF-8 form, so it could not be decoded back).
 */
export function encodeSubjectToken(name: string): string {
  if (name.length === 0) throw new SubjectTokenError('cannot encode an empty name');
  let out = '';
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new SubjectTokenError(
        `cannot encode ${JSON.stringify(name)}: it contains a lone surrogate (U+${code.toString(16).toUpperCase()})`,
      );
    }
    out += keptChar.test(char) ? char : escapeChar(char);
  }
  return out;
}

/**
 * Decodes a token made by encodeSubjectToken back into the name. Strict: anything that is not
 * the canonical encoding of some name is rejected with a SubjectTokenError saying why (empty
 * token, a character outside `[A-Za-z0-9_~-]`, a truncated or lowercase escape, an escape of
 * a character that is written as itself, or escaped bytes that are not valid UTF-8).
 */
export function decodeSubjectToken(token: string): string {
  if (token.length === 0) throw new SubjectTokenError('cannot decode an empty subject token');
  if (!tokenChars.test(token)) {
    const bad = [...token].find((char) => !tokenChars.test(char)) ?? '';
    throw new SubjectTokenError(
      `subject token ${JSON.stringify(token)} contains ${JSON.stringify(bad)}; only [A-Za-z0-9_~-] may appear`,
    );
  }
  let out = '';
  let i = 0;
  while (i < token.length) {
    if (token[i] !== escapeMark) {
      out += token[i];
      i += 1;
      continue;
    }
    const bytes: number[] = [];
    while (token[i] === escapeMark) {
      const hex = token.slice(i + 1, i + 3);
      if (!upperHexPair.test(hex)) {
        throw new SubjectTokenError(
          `subject token ${JSON.stringify(token)} has a bad escape at position ${i}: '~' must be followed by two uppercase hex digits`,
        );
      }
      const byte = Number.parseInt(hex, 16);
      if (isKeptByte(byte)) {
        throw new SubjectTokenError(
          `subject token ${JSON.stringify(token)} escapes ${JSON.stringify(String.fromCharCode(byte))} at position ${i}, which is written as itself in the canonical encoding`,
        );
      }
      bytes.push(byte);
      i += 3;
    }
    try {
      out += utf8Decoder.decode(Uint8Array.from(bytes));
    } catch {
      throw new SubjectTokenError(
        `subject token ${JSON.stringify(token)} has escaped bytes that are not valid UTF-8 before position ${i}`,
      );
    }
  }
  return out;
}
