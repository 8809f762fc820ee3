import { chatCompletionRequestSchema, type ChatCompletionRequest } from '@switchyard/contracts';
import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { encodeChat as encodeChatCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encodeChat as encodeChatO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from './estimate-input-tokens';
import { countTokens, readMergeableRanks, tokenEncodingFor } from './token-encoding';

const request = (body: unknown): ChatCompletionRequest => chatCompletionRequestSchema.parse(body);
const target = (providerModel: string, baseModel?: string) => ({
  providerModel,
  ...(baseModel === undefined ? {} : { baseModel }),
});

describe('tokenEncodingFor', () => {
  it.each([
    ['gpt-4o-mini', 'o200k_base'],
    ['gpt-4o-2024-08-06', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-5.1-codex', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['openai/gpt-4o', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['GPT-3.5-Turbo', 'cl100k_base'],
  ])('%s → %s', (model, encoding) => {
    expect(tokenEncodingFor(target(model))).toBe(encoding);
  });

  it.each(['claude-3-5-haiku-20241022', 'gemini-2.0-flash', 'o100', 'omni', 'gpt', 'llama-3-70b'])(
    'has no tokenizer for %s',
    (model) => {
      expect(tokenEncodingFor(target(model))).toBeUndefined();
    },
  );

  it('prefers the base model (an Azure deployment named by its owner)', () => {
    expect(tokenEncodingFor(target('my-prod-deployment', 'gpt-4o'))).toBe('o200k_base');
    expect(tokenEncodingFor(target('my-prod-deployment'))).toBeUndefined();
    expect(tokenEncodingFor(undefined)).toBeUndefined();
  });
});

describe('readMergeableRanks', () => {
  it.each([
    ['o200k_base', o200kRanks],
    ['cl100k_base', cl100kRanks],
  ] as const)('reads %s as the package holds it, token by token', (encoding, expected) => {
    const ranks = readMergeableRanks(encoding);
    expect(ranks).toHaveLength(expected.length);
    const differing = ranks.flatMap((rank, i) =>
      JSON.stringify(rank) === JSON.stringify(expected[i]) ? [] : [i],
    );
    expect(differing).toEqual([]);
  });
});

describe('countTokens', () => {
  it('counts special-token strings as plain text instead of throwing', () => {
    expect(countTokens('o200k_base', 'say <|endoftext|> please')).toBeGreaterThan(3);
  });

  it('differs between the two encodings on the same text', () => {
    const text = 'Привет, как дела? 東京の天気はどうですか。'.repeat(20);
    expect(countTokens('o200k_base', text)).toBeLessThan(countTokens('cl100k_base', text));
  });
});

describe('estimateInputTokens with a tokenizer', () => {
  const messages = [
    { role: 'system', content: 'You are a terse assistant who answers in one sentence.' },
    { role: 'user', content: 'Where is the blue train going, and when does it leave?' },
    { role: 'assistant', content: 'North, at noon.' },
    { role: 'user', content: [{ type: 'text', text: 'Und der rote Zug? 赤い電車は？' }] },
  ] as const;

  it('counts chat messages exactly as OpenAI does for gpt-4o (o200k_base)', () => {
    const flat = messages.map((m) => ({
      role: m.role,
      content: typeof m.content === 'string' ? m.content : m.content[0].text,
    }));
    expect(estimateInputTokens(request({ messages }), target('gpt-4o'))).toBe(
      encodeChatO200k(flat, 'gpt-4o').length,
    );
  });

  it('counts chat messages exactly as OpenAI does for gpt-4 (cl100k_base)', () => {
    const flat = [messages[0], messages[1]].map((m) => ({ role: m.role, content: m.content }));
    expect(estimateInputTokens(request({ messages: flat }), target('gpt-4'))).toBe(
      encodeChatCl100k(flat, 'gpt-4').length,
    );
  });

  it('adds one token per name, and the fixed image costs', () => {
    const plain = request({ messages: [{ role: 'user', content: 'hello there' }] });
    const named = request({ messages: [{ role: 'user', content: 'hello there', name: 'bob' }] });
    const gpt = target('gpt-4o-mini');
    expect(estimateInputTokens(named, gpt)).toBe(
      estimateInputTokens(plain, gpt) + 1 + countTokens('o200k_base', 'bob'),
    );
    const withImage = request({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello there' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
          ],
        },
      ],
    });
    expect(estimateInputTokens(withImage, gpt)).toBe(estimateInputTokens(plain, gpt) + 85);
  });

  it('falls back to the character approximation for other models', () => {
    const body = request({ messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(estimateInputTokens(body, target('claude-3-5-haiku-20241022'))).toBe(101 + 3 + 3);
    // 400 repeated x's are far fewer real tokens than 100.
    expect(estimateInputTokens(body, target('gpt-4o'))).toBeLessThan(101);
  });
});
