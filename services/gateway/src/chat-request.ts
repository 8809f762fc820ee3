import { chatCompletionRequestSchema, type ChatCompletionRequest } from '@switchyard/contracts';
import { readJobRequest, type JobRequest } from './job-request';

/** A chat-completions body the gateway accepted: the logical model and the OpenAI body. */
export type ChatRequest = JobRequest<ChatCompletionRequest>;

/**
 * Reads a `POST /v1/chat/completions` body (or a plain NATS chat request's) as readJobRequest
 * does, against the contracts' chat request schema.
 */
export function readChatRequest(body: unknown, models: ReadonlyMap<string, string>): ChatRequest {
  return readJobRequest(body, models, chatCompletionRequestSchema);
}
