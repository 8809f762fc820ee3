import type { ResultChoice } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderCompletion } from '../adapter';
import { responseIdOf, toCompletionUsage, toFinishReason, toToolCall } from './cohere.answer';
import { cohereMalformed } from './cohere.errors';
import { cohereChatResponseSchema } from './cohere.types';

/**
 * The chat.completion for a `/v2/chat` answer: one choice whose content is the text items of
 * `message.content` joined (thinking items left out), or, when the model only called tools,
 * its `tool_plan` (null when it wrote none); its tool calls as they are; the finish reason and
 * usage mapped by toFinishReason and toCompletionUsage. `model` is the deployment's model
 * (Cohere's answer does not name it). Throws `server` / `malformed_response` for a body that is
 * not a chat response, and the generation failure for finish reason ERROR or TIMEOUT.
 */
export function parseCohereResponse(body: unknown, context: AdapterContext): ProviderCompletion {
  const parsed = cohereChatResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw cohereMalformed(
      `Cohere answered with a body that is not a chat response: ${z.prettifyError(parsed.error)}`,
      parsed.error,
    );
  }
  const response = parsed.data;
  const texts = (response.message.content ?? [])
    .filter((item) => item.type === 'text')
    .map((item) => item.text ?? '');
  const toolCalls = (response.message.tool_calls ?? []).map(toToolCall);
  const text = texts.length > 0 ? texts.join('') : undefined;
  const content = text ?? (toolCalls.length > 0 ? (response.message.tool_plan ?? null) : '');
  const finishReason = toFinishReason(response.finish_reason, toolCalls.length > 0);

  const choice: ResultChoice = {
    index: 0,
    message: {
      role: 'assistant',
      content,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    finish_reason: finishReason,
  };
  return {
    id: responseIdOf(response.id),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: context.deployment.providerModel,
    choices: [choice],
    usage: toCompletionUsage(response.usage),
  };
}
