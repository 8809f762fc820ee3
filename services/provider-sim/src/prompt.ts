import { countTokens, tokenRules } from './tokens';

/** One part of a message, whatever the provider called it. */
export type PromptPart =
  | { kind: 'text'; text: string; cacheBreakpoint?: boolean }
  | { kind: 'image'; cacheBreakpoint?: boolean }
  | { kind: 'tool_call'; name: string; arguments: string; cacheBreakpoint?: boolean }
  | { kind: 'tool_result'; text: string; cacheBreakpoint?: boolean };

/** A message in provider-neutral form; `system` also stands for Gemini's systemInstruction. */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  name?: string;
  parts: PromptPart[];
}

/** A tool the caller offered, with its parameter schema. */
export interface PromptTool {
  name: string;
  description?: string;
  schema: unknown;
  cacheBreakpoint?: boolean;
}

/** The prompt of any provider's request, in the order the provider reads it. */
export interface NeutralPrompt {
  tools: PromptTool[];
  messages: PromptMessage[];
}

/**
 * One unit of a prompt prefix: a tool, a message header, or a message part. `prefixHash`
 * identifies everything up to and including this block; `prefixTokens` counts it.
 */
export interface PromptBlock {
  tokens: number;
  prefixTokens: number;
  prefixHash: number;
  cacheBreakpoint: boolean;
}

/** A prompt measured: its blocks in order and its total token count. */
export interface MeasuredPrompt {
  blocks: PromptBlock[];
  promptTokens: number;
}

/** FNV-1a over `text`, continuing from `hash`. */
export function fnv1a(text: string, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function partKey(part: PromptPart): string {
  switch (part.kind) {
    case 'text':
      return `t\u0000${part.text}`;
    case 'image':
      return 'i';
    case 'tool_call':
      return `c\u0000${part.name}\u0000${part.arguments}`;
    case 'tool_result':
      return `r\u0000${part.text}`;
  }
}

/** The tokens of one part under the rule of {@link tokenRules}. */
export function partTokens(part: PromptPart): number {
  switch (part.kind) {
    case 'text':
      return countTokens(part.text);
    case 'image':
      return tokenRules.perImage;
    case 'tool_call':
      return countTokens(part.name) + countTokens(part.arguments);
    case 'tool_result':
      return countTokens(part.text);
  }
}

/** The tokens of one tool definition under the rule of {@link tokenRules}. */
export function toolTokens(tool: PromptTool): number {
  return (
    tokenRules.perTool +
    countTokens(tool.name) +
    countTokens(tool.description ?? '') +
    countTokens(JSON.stringify(tool.schema ?? {}))
  );
}

/**
 * Measures a prompt: tools first, then messages (each a header block and one block per part),
 * with running prefix hashes for the prompt cache, plus the reply-priming overhead.
 */
export function measurePrompt(prompt: NeutralPrompt): MeasuredPrompt {
  const blocks: PromptBlock[] = [];
  let hash = 0x811c9dc5;
  let total = 0;
  const push = (key: string, tokens: number, cacheBreakpoint: boolean): void => {
    hash = fnv1a(key, fnv1a('\u0001', hash));
    total += tokens;
    blocks.push({ tokens, prefixTokens: total, prefixHash: hash, cacheBreakpoint });
  };
  for (const tool of prompt.tools) {
    const key = `T\u0000${tool.name}\u0000${tool.description ?? ''}\u0000${JSON.stringify(tool.schema ?? {})}`;
    push(key, toolTokens(tool), tool.cacheBreakpoint === true);
  }
  for (const message of prompt.messages) {
    const nameTokens = message.name === undefined ? 0 : countTokens(message.name);
    push(
      `M\u0000${message.role}\u0000${message.name ?? ''}`,
      tokenRules.perMessage + nameTokens,
      false,
    );
    for (const part of message.parts) {
      push(partKey(part), partTokens(part), part.cacheBreakpoint === true);
    }
  }
  return { blocks, promptTokens: total + tokenRules.replyPriming };
}
