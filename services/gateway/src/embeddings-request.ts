import { embeddingsRequestSchema, type EmbeddingsRequest } from '@switchyard/contracts';
import { readJobRequest, type JobRequest } from './job-request';

/** An embeddings body the gateway accepted: the logical model and the OpenAI body. */
export type EmbeddingsHttpRequest = JobRequest<EmbeddingsRequest>;

/**
 * Reads a `POST /v1/embeddings` body (or a plain NATS embeddings request's) as readJobRequest
 * does, against the contracts' embeddings schema; `metadata`, which OpenAI's embeddings API
 * does not have, is dropped once its LiteLLM tags are taken. Whether the model's provider has
 * embeddings is the worker's to say (a 400 `embeddings_not_supported`), as it knows the
 * deployment it calls.
 */
export function readEmbeddingsRequest(
  body: unknown,
  models: ReadonlyMap<string, string>,
): EmbeddingsHttpRequest {
  return readJobRequest(body, models, embeddingsRequestSchema, { dropMetadata: true });
}
