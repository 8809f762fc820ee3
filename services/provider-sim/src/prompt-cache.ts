import type { MeasuredPrompt } from './prompt';

/** The shortest prefix any simulated provider caches, in tokens. */
export const CACHE_MIN_TOKENS = 1024;
/** OpenAI reports cached tokens in steps of this many. */
export const OPENAI_CACHE_STEP = 128;
/** How many blocks before a breakpoint Anthropic looks back for a cache hit. */
export const ANTHROPIC_LOOKBACK_BLOCKS = 20;

/**
 * How a provider caches: `automatic` prefixes of every request (OpenAI in 128-token steps,
 * Gemini's implicit cache exactly), or `breakpoints` the caller marks (Anthropic).
 */
export type CacheStyle = 'openai' | 'gemini' | 'anthropic';

/** Cache figures of one request. */
export interface CacheUsage {
  /** Prompt tokens read from the cache. */
  cachedTokens: number;
  /** Prompt tokens written to the cache (Anthropic's cache_creation_input_tokens). */
  cacheWriteTokens: number;
}

/** One deployment's cache: the prefix hashes it has seen. */
export class PromptCache {
  private readonly seen = new Set<number>();

  constructor(private readonly maxEntries = 100_000) {}

  has(prefixHash: number): boolean {
    return this.seen.has(prefixHash);
  }

  add(prefixHash: number): void {
    if (this.seen.size >= this.maxEntries) this.seen.clear();
    this.seen.add(prefixHash);
  }

  clear(): void {
    this.seen.clear();
  }
}

function automatic(prompt: MeasuredPrompt, cache: PromptCache, step: number): CacheUsage {
  let cached = 0;
  for (const block of prompt.blocks) {
    if (block.prefixTokens >= CACHE_MIN_TOKENS && cache.has(block.prefixHash)) {
      cached = Math.max(cached, Math.floor(block.prefixTokens / step) * step);
    }
  }
  for (const block of prompt.blocks) {
    if (block.prefixTokens >= CACHE_MIN_TOKENS) cache.add(block.prefixHash);
  }
  return { cachedTokens: cached >= CACHE_MIN_TOKENS ? cached : 0, cacheWriteTokens: 0 };
}

function breakpoints(prompt: MeasuredPrompt, cache: PromptCache): CacheUsage {
  const marks = prompt.blocks
    .map((block, index) => ({ block, index }))
    .filter(({ block }) => block.cacheBreakpoint && block.prefixTokens >= CACHE_MIN_TOKENS);
  const last = marks[marks.length - 1];
  if (last === undefined) return { cachedTokens: 0, cacheWriteTokens: 0 };
  let read = 0;
  for (const { index } of marks) {
    for (let i = index; i >= 0 && i > index - ANTHROPIC_LOOKBACK_BLOCKS; i--) {
      const block = prompt.blocks[i];
      if (block !== undefined && cache.has(block.prefixHash)) {
        read = Math.max(read, block.prefixTokens);
        break;
      }
    }
  }
  for (const { block } of marks) cache.add(block.prefixHash);
  return { cachedTokens: read, cacheWriteTokens: Math.max(last.block.prefixTokens - read, 0) };
}

/** What the cache serves for `prompt`, remembering its prefixes for later requests. */
export function useCache(
  style: CacheStyle,
  prompt: MeasuredPrompt,
  cache: PromptCache,
): CacheUsage {
  switch (style) {
    case 'openai':
      return automatic(prompt, cache, OPENAI_CACHE_STEP);
    case 'gemini':
      return automatic(prompt, cache, 1);
    case 'anthropic':
      return breakpoints(prompt, cache);
  }
}
