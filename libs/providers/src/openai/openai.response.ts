import { randomUUID } from 'node:crypto';
import {
  choiceLogprobsSchema,
  type ChoiceLogprobs,
  type ResultChoice,
  type ToolCall,
} from '@switchyard/contracts';
import type { z } from 'zod';
import type { AdapterContext, ProviderCompletion } from '../adapter';
import { ProviderError } from '../provider-error';
import { classifyOpenAiError, readOpenAiErrorJson } from './openai.errors';
import { normalizeFinishReason, normalizeUsage } from './openai.usage';
import type { openAiResponseMessageSchema } from './openai.wire';
import { openAiCompletionSchema, type OpenAiToolCallWire } from './openai.wire';

/** Tool-call arguments as JSON text (some servers send the parsed object). */
export function argumentsText(args: string | Record<string, unknown> | null | undefined): string {
  if (args == null) return '';
  return typeof args === 'string' ? args : JSON.stringify(args);
}

/** The contract's logprobs, or undefined when the server sent a shape it does not match. */
export function contractLogprobs(logprobs: unknown): ChoiceLogprobs | null | undefined {
  if (logprobs === null) return null;
  const parsed = choiceLogprobsSchema.safeParse(logprobs);
  return parsed.success ? parsed.data : undefined;
}

/** Describes why a body failed its schema, briefly, for the error message. */
export function schemaProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'it does not match the expected shape';
  const path = issue.path.length === 0 ? 'the body' : issue.path.join('.');
  return `${path}: ${issue.message}`;
}

function toolCalls(calls: readonly OpenAiToolCallWire[] | null | undefined): ToolCall[] {
  return (calls ?? [])
    .filter((call) => call.type == null || call.type === 'function')
    .map((call, position): ToolCall => ({
      id: call.id != null && call.id !== '' ? call.id : `call_${position}`,
      type: 'function',
      function: {
        name: call.function?.name ?? '',
        arguments: argumentsText(call.function?.arguments),
      },
    }))
    .filter((call) => call.function.name !== '');
}

function contentText(
  content: z.infer<typeof openAiResponseMessageSchema>['content'],
): string | null {
  if (content == null) return null;
  if (typeof content === 'string') return content;
  return content
    .filter((part) => part.type === 'text')
    .map((part) => part.text ?? '')
    .join('');
}

/**
 * The completion from an OpenAI-family `chat.completion` body. A body that is an error (some
 * servers answer 200 with `{"error": ...}`) is classified; a body that is not a completion is
 * `server` / `malformed_response`; an answer the provider's filter blocked entirely (every
 * choice ended with `content_filter` and nothing was written) is `content_policy`.
 */
export function parseOpenAiResponse(
  provider: string,
  body: unknown,
  context: AdapterContext,
): ProviderCompletion {
  const parsed = openAiCompletionSchema.safeParse(body);
  if (!parsed.success) {
    const error = readOpenAiErrorJson(body, 'the provider answered with an error');
    if (error !== undefined) throw classifyOpenAiError(provider, undefined, error, {});
    throw new ProviderError(
      'server',
      'malformed_response',
      `the response is not a chat completion (${schemaProblem(parsed.error)})`,
      { provider, cause: parsed.error },
    );
  }
  const completion = parsed.data;
  const choices: ResultChoice[] = completion.choices.map((choice, position) => {
    const calls = toolCalls(choice.message.tool_calls);
    const logprobs = contractLogprobs(choice.logprobs);
    return {
      index: choice.index ?? position,
      message: {
        role: 'assistant',
        content: contentText(choice.message.content),
        ...(calls.length === 0 ? {} : { tool_calls: calls }),
        ...(choice.message.refusal == null ? {} : { refusal: choice.message.refusal }),
      },
      finish_reason: normalizeFinishReason(choice.finish_reason, calls.length > 0),
      ...(logprobs === undefined ? {} : { logprobs }),
    };
  });
  const blocked = choices.every(
    (choice) =>
      choice.finish_reason === 'content_filter' &&
      (choice.message.content ?? '') === '' &&
      choice.message.tool_calls === undefined,
  );
  if (blocked) {
    throw new ProviderError(
      'content_policy',
      'content_filter',
      'the provider content filter blocked the answer',
      { provider },
    );
  }
  return {
    id: completion.id != null && completion.id !== '' ? completion.id : `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(completion.created ?? Date.now() / 1000),
    model:
      completion.model != null && completion.model !== ''
        ? completion.model
        : context.deployment.providerModel,
    choices,
    usage: normalizeUsage(completion.usage),
    ...(completion.system_fingerprint == null
      ? {}
      : { system_fingerprint: completion.system_fingerprint }),
  };
}
