import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens, groupPieces, splitPieces, tokenize } from './tokens';

describe('countTokens', () => {
  it.each([
    ['', 0],
    ['   \n\t', 0],
    ['Hello', 1],
    ['Hello, world!', 4],
    ['snake_case_name', 1],
    ["it's 3.14", 6],
    ['{"a": 1}', 7],
    ['{"a":1}', 7],
    ['naïve café — déjà vu', 5],
    ['東京 2024', 2],
    ['🚂🚃', 2],
  ])('counts %j as %i', (text, expected) => {
    expect(countTokens(text)).toBe(expected);
  });

  it('does not depend on the kind or amount of white space', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(countTokens(text.replace(/\s+/g, '\n\t  '))).toBe(countTokens(text));
        expect(countTokens(text)).toBe(tokenize(text).length);
      }),
    );
  });
});

describe('splitPieces', () => {
  it('gives one token per piece, white space riding in front', () => {
    expect(splitPieces('Hi, you.')).toEqual(['Hi', ',', ' you', '.']);
    expect(splitPieces('  lead and trail  ')).toEqual(['  lead', ' and', ' trail  ']);
  });

  it('joins back to the text and has as many pieces as tokens', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const pieces = splitPieces(text);
        expect(pieces.join('')).toBe(text);
        if (countTokens(text) > 0) expect(pieces.length).toBe(countTokens(text));
      }),
    );
  });
});

describe('groupPieces', () => {
  it('groups pieces and counts the tokens of each group', () => {
    expect(groupPieces(['a', ' b', ' c'], 2)).toEqual([
      { text: 'a b', tokens: 2 },
      { text: ' c', tokens: 1 },
    ]);
    expect(groupPieces([], 3)).toEqual([]);
  });
});
