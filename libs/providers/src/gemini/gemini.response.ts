import type { ResultChoice } from '@switchyard/contracts';
import { z } from 'zod';
import type { AdapterContext, ProviderCompletion } from '../adapter';
import {
  ToolCallNumbering,
  answerText,
  createdOf,
  emptyAnswerError,
  promptBlockedError,
  responseIdOf,
  toFinishReason,
  toLogprobs,
  toUsage,
} from './gemini.candidates';
import { geminiMalformed } from './gemini.errors';
import { generateContentResponseSchema, type GenerateContentResponse } from './gemini.types';

/** A `GenerateContentResponse` body, or a `server`/`malformed_response` error. */
export function readGenerateContentResponse(body: unknown): GenerateContentResponse {
  const parsed = generateContentResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw geminiMalformed(
      `Gemini answered with a body that is not a GenerateContentResponse: ${z.prettifyError(parsed.error)}`,
      parsed.error,
    );
  }
  return parsed.data;
}

/**
 * The chat.completion for a `generateContent` answer. Each candidate becomes a choice: its
 * text parts joined (thought parts left out), its function calls as tool calls (ids from
 * gemini.tool-call-id), its finish reason mapped by toFinishReason, its logprobs when asked
 * for. `model` is Gemini's `modelVersion` (else the deployment's model), `id` its
 * `responseId`. Throws content_policy when the prompt was blocked (`promptFeedback.blockReason`,
 * no candidates) or when every candidate was withheld with nothing to show (see
 * emptyAnswerError); `server`/`malformed_response` for a body without candidates otherwise.
 */
export function parseGeminiResponse(body: unknown, context: AdapterContext): ProviderCompletion {
  const response = readGenerateContentResponse(body);
  const candidates = response.candidates ?? [];
  if (candidates.length === 0) {
    if (response.promptFeedback?.blockReason) throw promptBlockedError(response.promptFeedback);
    throw geminiMalformed('Gemini answered with no candidates and no block reason');
  }

  const id = responseIdOf(response);
  const numbering = new ToolCallNumbering(id);
  const finished = candidates.map((candidate) => {
    const parts = candidate.content?.parts ?? [];
    const text = answerText(parts);
    const toolCalls = numbering.toolCalls(parts);
    const hadContent = (text !== undefined && text !== '') || toolCalls.length > 0;
    return { candidate, text, toolCalls, hadContent };
  });
  const failure = emptyAnswerError(finished);
  if (failure) throw failure;

  const choices: ResultChoice[] = finished.map(({ candidate, text, toolCalls }, position) => ({
    index: candidate.index ?? position,
    message: {
      role: 'assistant',
      content: text ?? (toolCalls.length > 0 ? null : ''),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    finish_reason: toFinishReason(candidate.finishReason, toolCalls.length > 0),
    ...(candidate.logprobsResult ? { logprobs: toLogprobs(candidate.logprobsResult) } : {}),
  }));

  return {
    id,
    object: 'chat.completion',
    created: createdOf(response),
    model: response.modelVersion ?? context.deployment.providerModel,
    choices,
    usage: toUsage(response.usageMetadata),
  };
}
