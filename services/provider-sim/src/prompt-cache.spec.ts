import { describe, expect, it } from 'vitest';
import { measurePrompt, type NeutralPrompt } from './prompt';
import { PromptCache, useCache } from './prompt-cache';

const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

function conversation(turns: string[], breakpoint = false): NeutralPrompt {
  return {
    tools: [],
    messages: turns.map((text, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      parts: [{ kind: 'text', text, ...(breakpoint && i === 0 ? { cacheBreakpoint: true } : {}) }],
    })),
  };
}

describe('useCache', () => {
  it('OpenAI: nothing the first time, then the longest seen prefix in 128-token steps', () => {
    const cache = new PromptCache();
    const first = conversation([words(1500)]);
    expect(useCache('openai', measurePrompt(first), cache)).toEqual({
      cachedTokens: 0,
      cacheWriteTokens: 0,
    });
    const longer = conversation([words(1500), 'ok', 'more please']);
    expect(useCache('openai', measurePrompt(longer), cache)).toEqual({
      cachedTokens: 1408,
      cacheWriteTokens: 0,
    });
  });

  it('OpenAI and Gemini: prompts under 1024 tokens are never cached', () => {
    const cache = new PromptCache();
    const small = measurePrompt(conversation([words(500)]));
    useCache('gemini', small, cache);
    expect(useCache('gemini', small, cache).cachedTokens).toBe(0);
  });

  it('Gemini: the exact prefix is cached', () => {
    const cache = new PromptCache();
    const prompt = measurePrompt(conversation([words(1100)]));
    useCache('gemini', prompt, cache);
    expect(useCache('gemini', prompt, cache).cachedTokens).toBe(prompt.blocks.at(-1)?.prefixTokens);
  });

  it('Anthropic: writes at the breakpoint first, then reads it', () => {
    const cache = new PromptCache();
    const prompt = measurePrompt(conversation([words(2000), 'sure', 'next'], true));
    const prefix = prompt.blocks[1]?.prefixTokens ?? 0;
    expect(useCache('anthropic', prompt, cache)).toEqual({
      cachedTokens: 0,
      cacheWriteTokens: prefix,
    });
    expect(useCache('anthropic', prompt, cache)).toEqual({
      cachedTokens: prefix,
      cacheWriteTokens: 0,
    });
  });

  it('Anthropic: no breakpoint, no caching', () => {
    const cache = new PromptCache();
    const prompt = measurePrompt(conversation([words(2000)]));
    useCache('anthropic', prompt, cache);
    expect(useCache('anthropic', prompt, cache)).toEqual({ cachedTokens: 0, cacheWriteTokens: 0 });
  });
});
