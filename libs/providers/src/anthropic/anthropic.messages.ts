import type {
  AssistantMessage,
  ChatMessage,
  ToolMessage,
  UserMessage,
} from '@switchyard/contracts';
import { PLACEHOLDER_USER_TEXT } from './anthropic.constants';
import {
  cacheControlOf,
  imageBlock,
  textBlocks,
  textPartBlock,
  withCacheControl,
} from './anthropic.content';
import { badParameter } from './anthropic.errors';
import type {
  AnthropicAssistantBlock,
  AnthropicCacheControl,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
  AnthropicUserBlock,
} from './anthropic.types';

/** The conversation in Anthropic's shape: the top-level system prompt and alternating turns. */
export interface AnthropicConversation {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** The last block of a message takes a message-level `cache_control`. */
function cacheLast<T extends { cache_control?: AnthropicCacheControl }>(
  blocks: T[],
  cacheControl: AnthropicCacheControl | undefined,
): T[] {
  const last = blocks.at(-1);
  if (cacheControl === undefined || last === undefined) return blocks;
  return [...blocks.slice(0, -1), withCacheControl(last, cacheControl)];
}

function userBlocks(
  message: UserMessage,
  param: string,
  dropParams: boolean,
): AnthropicUserBlock[] {
  const content = message.content;
  if (typeof content === 'string') return textBlocks(content, `${param}.content`, dropParams);
  return content.flatMap((part, index): AnthropicUserBlock[] => {
    const partParam = `${param}.content[${index}]`;
    return part.type === 'text'
      ? textPartBlock(part, partParam, dropParams)
      : [imageBlock(part, partParam, dropParams)];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The tool input object from a call's JSON `arguments` (empty text is `{}`). */
function toolInput(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badParameter(param, 'invalid_value', `${param} is not valid JSON`);
  }
  if (!isPlainObject(value)) {
    throw badParameter(param, 'invalid_value', `${param} must be a JSON object for Anthropic`);
  }
  return value;
}

function assistantBlocks(
  message: AssistantMessage,
  param: string,
  dropParams: boolean,
): AnthropicAssistantBlock[] {
  const content = message.content ?? [];
  const texts: AnthropicTextBlock[] =
    typeof content === 'string'
      ? textBlocks(content, `${param}.content`, dropParams)
      : content.flatMap((part, index) => {
          const partParam = `${param}.content[${index}]`;
          return part.type === 'text'
            ? textPartBlock(part, partParam, dropParams)
            : textBlocks(part.refusal, partParam, dropParams);
        });
  if (texts.length === 0 && typeof message.refusal === 'string') {
    texts.push(...textBlocks(message.refusal, `${param}.refusal`, dropParams));
  }
  const calls = (message.tool_calls ?? []).map((call, index): AnthropicToolUseBlock => ({
    type: 'tool_use',
    id: call.id,
    name: call.function.name,
    input: toolInput(call.function.arguments, `${param}.tool_calls[${index}].function.arguments`),
  }));
  return [...texts, ...calls];
}

function toolResultBlock(
  message: ToolMessage,
  param: string,
  dropParams: boolean,
): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = {
    type: 'tool_result',
    tool_use_id: message.tool_call_id,
  };
  if (typeof message.content === 'string') {
    if (message.content !== '') block.content = message.content;
  } else {
    const texts = textBlocks(message.content, `${param}.content`, dropParams);
    if (texts.length > 0) block.content = texts;
  }
  return block;
}

type Turn =
  | { role: 'user'; content: AnthropicUserBlock[] }
  | { role: 'assistant'; content: AnthropicAssistantBlock[] };

/** Appends a turn, merging it into the previous one when both have the same role. */
function appendTurn(turns: Turn[], turn: Turn): void {
  if (turn.content.length === 0) return;
  const previous = turns.at(-1);
  if (previous?.role === 'user' && turn.role === 'user') previous.content.push(...turn.content);
  else if (previous?.role === 'assistant' && turn.role === 'assistant') {
    previous.content.push(...turn.content);
  } else turns.push(turn);
}

/** Tool results first in a user turn (the Messages API requires it), other blocks after, in order. */
function toolResultsFirst(blocks: AnthropicUserBlock[]): AnthropicUserBlock[] {
  return [
    ...blocks.filter((block) => block.type === 'tool_result'),
    ...blocks.filter((block) => block.type !== 'tool_result'),
  ];
}

/** Trailing whitespace is removed from a final assistant turn (prefill), as Anthropic requires. */
function trimPrefill(turns: Turn[]): void {
  const last = turns.at(-1);
  if (last?.role !== 'assistant') return;
  const lastBlock = last.content.at(-1);
  if (lastBlock?.type !== 'text') return;
  const text = lastBlock.text.trimEnd();
  if (text === '') last.content.pop();
  else last.content[last.content.length - 1] = { ...lastBlock, text };
  if (last.content.length === 0) turns.pop();
}

function systemPrompt(blocks: AnthropicTextBlock[]): string | AnthropicTextBlock[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control !== undefined)) return blocks;
  return blocks.map((block) => block.text).join('\n\n');
}

/**
 * Translates OpenAI chat messages into Anthropic's system prompt and turns.
 *
 * - `system` and `developer` messages, wherever they are, become the top-level `system`, in
 *   order: a string (texts joined by a blank line), or text blocks when any carries
 *   `cache_control`.
 * - `user` and `tool` messages become user turns (a tool message is a `tool_result` block);
 *   `assistant` messages become assistant turns (text, then a `tool_use` block per tool call,
 *   with the JSON arguments parsed: invalid JSON is a bad request).
 * - Alternation repair: consecutive turns of the same role are merged into one turn whose
 *   content is their blocks in order (so consecutive tool results share one user turn), with
 *   `tool_result` blocks moved to the front of a user turn; a message with no content left
 *   (empty text) is skipped; when the first turn is not a user turn, or there is none, a user
 *   turn holding PLACEHOLDER_USER_TEXT is put first.
 * - A final assistant turn (prefill) loses its trailing whitespace.
 * - `name` on messages has no Anthropic counterpart and is not sent.
 */
export function translateMessages(
  messages: readonly ChatMessage[],
  dropParams: boolean,
): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    const cacheControl = cacheControlOf(message, param, dropParams);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(
          ...cacheLast(textBlocks(message.content, `${param}.content`, dropParams), cacheControl),
        );
        break;
      case 'user':
        appendTurn(turns, {
          role: 'user',
          content: cacheLast(userBlocks(message, param, dropParams), cacheControl),
        });
        break;
      case 'assistant':
        appendTurn(turns, {
          role: 'assistant',
          content: cacheLast(assistantBlocks(message, param, dropParams), cacheControl),
        });
        break;
      case 'tool':
        appendTurn(turns, {
          role: 'user',
          content: cacheLast([toolResultBlock(message, param, dropParams)], cacheControl),
        });
        break;
    }
  });
  if (turns[0]?.role !== 'user') {
    turns.unshift({ role: 'user', content: [{ type: 'text', text: PLACEHOLDER_USER_TEXT }] });
  }
  trimPrefill(turns);
  const out: AnthropicMessage[] = turns.map((turn) =>
    turn.role === 'user' ? { role: 'user', content: toolResultsFirst(turn.content) } : turn,
  );
  const prompt = systemPrompt(system);
  return prompt === undefined ? { messages: out } : { system: prompt, messages: out };
}
