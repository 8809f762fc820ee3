import type { ToolCall } from '@switchyard/contracts';
import type { ProviderCompletion } from '../adapter';
import { JSON_RESPONSE_TOOL_NAME } from './anthropic.constants';
import { malformedResponse } from './anthropic.errors';
import { toFinishReason } from './anthropic.finish-reason';
import {
  anthropicMessageSchema,
  anthropicTextBlockSchema,
  anthropicToolUseBlockSchema,
} from './anthropic.schemas';
import { toCompletionUsage } from './anthropic.usage';

/**
 * The OpenAI `chat.completion` for an Anthropic Message (the parsed body of a 2xx response).
 *
 * - Text blocks are joined, in order, into `content` (null when the model only called tools, ''
 *   when it wrote nothing at all).
 * - `tool_use` blocks become `tool_calls` (`arguments` = the input as JSON text), except the
 *   JSON-mode tool's, whose input becomes `content` as JSON text (text blocks beside it are
 *   then left out, so that `content` is exactly the JSON).
 * - Thinking, redacted-thinking and server-tool blocks are not returned.
 * - `stop_reason` → finish_reason (toFinishReason); a `refusal` carries Anthropic's
 *   explanation, when it gives one, as `refusal`.
 * - Usage as toCompletionUsage says. `created` is the time of parsing (Anthropic sends none).
 *
 * Throws `server` / `malformed_response` for a body that is not a Message.
 */
export function parseAnthropicResponse(
  body: unknown,
  now: number = Date.now(),
): ProviderCompletion {
  const parsed = anthropicMessageSchema.safeParse(body);
  if (!parsed.success) {
    throw malformedResponse('a response that is not a Message', parsed.error.issues);
  }
  const message = parsed.data;

  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  let json: string | undefined;
  for (const [index, block] of message.content.entries()) {
    if (block.type === 'text') {
      const text = anthropicTextBlockSchema.safeParse(block);
      if (!text.success) {
        throw malformedResponse(`a bad text block at content[${index}]`, text.error.issues);
      }
      texts.push(text.data.text);
    } else if (block.type === 'tool_use') {
      const call = anthropicToolUseBlockSchema.safeParse(block);
      if (!call.success) {
        throw malformedResponse(`a bad tool_use block at content[${index}]`, call.error.issues);
      }
      const { id, name, input } = call.data;
      const args = JSON.stringify(input);
      if (name === JSON_RESPONSE_TOOL_NAME) json = args;
      else toolCalls.push({ id, type: 'function', function: { name, arguments: args } });
    }
  }

  let content: string | null = json ?? texts.join('');
  if (json === undefined && texts.length === 0 && toolCalls.length > 0) content = null;
  const explanation =
    message.stop_reason === 'refusal' ? message.stop_details?.explanation : undefined;
  const usage = message.usage;
  return {
    id: message.id,
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: message.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(typeof explanation === 'string' ? { refusal: explanation } : {}),
        },
        finish_reason: toFinishReason(message.stop_reason, toolCalls.length > 0),
      },
    ],
    usage: toCompletionUsage({
      input: usage.input_tokens,
      cacheCreation: usage.cache_creation_input_tokens ?? 0,
      cacheRead: usage.cache_read_input_tokens ?? 0,
      output: usage.output_tokens,
      thinking: usage.output_tokens_details?.thinking_tokens ?? 0,
    }),
  };
}
