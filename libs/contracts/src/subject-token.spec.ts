import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSubjectToken, encodeSubjectToken, SubjectTokenError } from './subject-token';

/** Any non-empty string of Unicode code points (no lone surrogates): every encodable name. */
const anyName = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

/** Strings made of token characters, often forming escapes, valid or not. */
const tokenLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', 'Z', '0', '_', '-', '~'),
      fc
        .tuple(fc.constantFrom(...'0123456789ABCDEFabcdef'), fc.constantFrom(...'0123456789ABCDEF'))
        .map(([hi, lo]) => `~${hi}${lo}`),
      fc.constantFrom('~C3~A9', '~E2~82~AC', '~F0~9F~98~80', '~EF~BB~BF', '~2E', '~2F'),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('encodeSubjectToken', () => {
  it.each([
    ['openai/gpt-4o', 'openai~2Fgpt-4o'],
    ['claude-3.5', 'claude-3~2E5'],
    ['fast-triage-model', 'fast-triage-model'],
    ['snake_case_ok', 'snake_case_ok'],
    ['llama3:70b', 'llama3~3A70b'],
    ['my model', 'my~20model'],
    ['a*b>c', 'a~2Ab~3Ec'],
    ['tilde~name', 'tilde~7Ename'],
    ['café', 'caf~C3~A9'],
    ['€', '~E2~82~AC'],
    ['😀', '~F0~9F~98~80'],
    ['\uFEFFbom', '~EF~BB~BFbom'],
    ['.', '~2E'],
  ])('encodes %j as %s', (name, token) => {
    expect(encodeSubjectToken(name)).toBe(token);
    expect(decodeSubjectToken(token)).toBe(name);
  });

  it('rejects an empty name', () => {
    expect(() => encodeSubjectToken('')).toThrow(SubjectTokenError);
    expect(() => encodeSubjectToken('')).toThrow(/empty name/);
  });

  it('rejects a lone surrogate, which has no UTF-8 form', () => {
    expect(() => encodeSubjectToken('a\uD800b')).toThrow(/lone surrogate \(U\+D800\)/);
  });

  it('round-trips every Unicode string', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        expect(decodeSubjectToken(encodeSubjectToken(name))).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('only ever writes [A-Za-z0-9_~-], so a token is one subject token and never a wildcard', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        expect(encodeSubjectToken(name)).toMatch(/^[A-Za-z0-9_~-]+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives distinct tokens to distinct names', () => {
    fc.assert(
      fc.property(anyName, anyName, (a, b) => {
        fc.pre(a !== b);
        expect(encodeSubjectToken(a)).not.toBe(encodeSubjectToken(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives distinct tokens to names that differ only in an escaped character', () => {
    const names = ['a.b', 'a/b', 'a:b', 'a b', 'a~b', 'a-b', 'a_b', 'ab'];
    const tokens = new Set(names.map(encodeSubjectToken));
    expect(tokens.size).toBe(names.length);
  });
});

describe('decodeSubjectToken', () => {
  it.each([
    ['', /empty subject token/],
    ['gpt.4o', /contains "\."/],
    ['gpt 4o', /contains " "/],
    ['gpt*', /contains "\*"/],
    ['gpt>', /contains ">"/],
    ['gpt/4o', /contains "\/"/],
    ['caf~c3~a9', /two uppercase hex digits/],
    ['claude-3~2e5', /two uppercase hex digits/],
    ['abc~', /bad escape at position 3/],
    ['abc~2', /bad escape at position 3/],
    ['~GG', /bad escape/],
    ['~41bc', /escapes "A" at position 0/],
    ['a~5Fb', /escapes "_"/],
    ['a~2Db', /escapes "-"/],
    ['~C3', /not valid UTF-8/],
    ['~C3a~A9', /not valid UTF-8/],
    ['~A9', /not valid UTF-8/],
    ['~C0~AE', /not valid UTF-8/],
    ['~ED~A0~80', /not valid UTF-8/],
    ['~F4~90~80~80', /not valid UTF-8/],
  ])('rejects %j', (token, message) => {
    expect(() => decodeSubjectToken(token)).toThrow(SubjectTokenError);
    expect(() => decodeSubjectToken(token)).toThrow(message);
  });

  it('keeps an encoded byte-order mark instead of dropping it', () => {
    expect(decodeSubjectToken('~EF~BB~BF')).toBe('\uFEFF');
  });

  it('accepts only canonical tokens: encode(decode(t)) === t whenever decode accepts t', () => {
    let accepted = 0;
    fc.assert(
      fc.property(tokenLike, (token) => {
        let name: string;
        try {
          name = decodeSubjectToken(token);
        } catch (error) {
          expect(error).toBeInstanceOf(SubjectTokenError);
          return;
        }
        accepted += 1;
        expect(encodeSubjectToken(name)).toBe(token);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('never throws anything but a SubjectTokenError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (token) => {
        try {
          const name = decodeSubjectToken(token);
          expect(encodeSubjectToken(name)).toBe(token);
        } catch (error) {
          expect(error).toBeInstanceOf(SubjectTokenError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
