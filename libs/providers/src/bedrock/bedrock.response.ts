import { randomUUID } from 'node:crypto';
import type { ToolCall } from '@switchyard/contracts';
import type { AdapterContext, ProviderCompletion } from '../adapter';
import { toCompletionUsage, toFinishReason } from './bedrock.answer';
import { bedrockMalformed } from './bedrock.errors';
import { JSON_RESPONSE_TOOL_NAME } from './bedrock.tools';
import { converseResponseSchema } from './bedrock.types';

/**
 * The chat.completion for a Converse answer: its text blocks joined as the content, its
 * `toolUse` blocks as tool calls (the call's `toolUseId` as id, its input as JSON arguments),
 * a call of the JSON-mode tool as the content (its input as JSON text), the stop reason mapped
 * by toFinishReason, and the usage by toCompletionUsage. Converse gives no response id or
 * model: the id is a fresh `chatcmpl-…`, the model the deployment's model id. Throws
 * `server` / `malformed_response` for a body that is not a Converse answer.
 */
export function parseBedrockResponse(body: unknown, context: AdapterContext): ProviderCompletion {
  const parsed = converseResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw bedrockMalformed('a body that is not a Converse answer', parsed.error.issues);
  }
  const response = parsed.data;
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of response.output.message.content) {
    if (block.text !== undefined) texts.push(block.text);
    const use = block.toolUse;
    if (use === undefined) continue;
    const input = JSON.stringify(use.input ?? {});
    if (use.name === JSON_RESPONSE_TOOL_NAME) texts.push(input);
    else {
      toolCalls.push({
        id: use.toolUseId,
        type: 'function',
        function: { name: use.name, arguments: input },
      });
    }
  }
  const content = texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '';
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: context.deployment.providerModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toFinishReason(response.stopReason, toolCalls.length > 0),
        logprobs: null,
      },
    ],
    usage: toCompletionUsage(response.usage),
  };
}
