import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finishText, renderTokens, replyTokens } from './reply';
import { countTokens } from './tokens';

describe('replyTokens', () => {
  it('echoes the start of the last user message and has exactly the asked length', () => {
    const tokens = replyTokens('Where is the blue train going?', 0, 16);
    const text = renderTokens(tokens).join('');
    expect(tokens).toHaveLength(16);
    expect(countTokens(text)).toBe(16);
    expect(text.startsWith('Simulated reply to: Where is the blue train going? ')).toBe(true);
    expect(text.endsWith('.')).toBe(true);
  });

  it('is deterministic and differs between variants', () => {
    const a = replyTokens('Hello there', 0, 24);
    expect(replyTokens('Hello there', 0, 24)).toEqual(a);
    const b = replyTokens('Hello there', 1, 24);
    expect(b.slice(0, 3)).toEqual(['Simulated', 'reply', '2']);
    expect(b).not.toEqual(a);
  });

  it('keeps its deterministic filler (other tests and the SDK conformance rely on it)', () => {
    expect(renderTokens(replyTokens('Where is the blue train going?', 0, 30)).join('')).toBe(
      'Simulated reply to: Where is the blue train going? plain value here window steady line value brief. small note plain yard now answer follows follows done.',
    );
  });

  it('takes its filler from a seed when given one, with the same opening and length', () => {
    const bySeed = (seed: number): string[] => replyTokens('Hello there', 0, 40, seed);
    const a = bySeed(1);
    const b = bySeed(2);
    expect(a).toHaveLength(40);
    expect(b).toHaveLength(40);
    expect(a.slice(0, 7)).toEqual(['Simulated', 'reply', 'to', ':', 'Hello', 'there', '.']);
    expect(b.slice(0, 7)).toEqual(a.slice(0, 7));
    expect(b).not.toEqual(a);
    expect(bySeed(1)).toEqual(a);
    expect(a).not.toEqual(replyTokens('Hello there', 0, 40));
  });

  it('has as many tokens as asked with any filler seed', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (user, length, seed) => {
          const text = renderTokens(replyTokens(user, 0, length, seed)).join('');
          expect(countTokens(text)).toBe(length);
        },
      ),
    );
  });

  it('has an opening without echo when there is no user text', () => {
    expect(renderTokens(replyTokens('', 0, 3)).join('')).toBe('Simulated reply.');
    expect(replyTokens('x', 0, 1)).toEqual(['Simulated']);
    expect(replyTokens('x', 0, 0)).toEqual([]);
  });

  it('renders to text with as many tokens as asked for any user text and length', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: 200 }),
        fc.nat(3),
        (user, length, variant) => {
          const text = renderTokens(replyTokens(user, variant, length)).join('');
          expect(countTokens(text)).toBe(length);
        },
      ),
    );
  });
});

describe('finishText', () => {
  const pieces = renderTokens(['one', 'two', 'three', ',', 'four', '.']);

  it('keeps the whole text when nothing limits it', () => {
    expect(finishText(pieces, {})).toMatchObject({
      text: 'one two three, four.',
      tokens: 6,
      finish: 'stop',
    });
  });

  it('cuts at max_tokens with finish length', () => {
    expect(finishText(pieces, { maxTokens: 3 })).toMatchObject({
      text: 'one two three',
      tokens: 3,
      finish: 'length',
    });
    expect(finishText(pieces, { maxTokens: 6 }).finish).toBe('stop');
  });

  it('ends before the earliest stop sequence, leaving it out', () => {
    const finished = finishText(pieces, { stop: ['four', 'two'] });
    expect(finished).toMatchObject({
      text: 'one ',
      finish: 'stop_sequence',
      stopSequence: 'two',
      tokens: 1,
    });
    expect(finished.pieces.join('')).toBe('one ');
  });

  it('lets max_tokens win when the stop sequence comes later', () => {
    expect(finishText(pieces, { maxTokens: 2, stop: ['four'] }).finish).toBe('length');
  });
});
