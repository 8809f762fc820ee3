import {
  embeddingsRequestSchema,
  formatIssuePath,
  formatIssues,
  type EmbeddingsRequest,
} from '@switchyard/contracts';
import type { ChatRequest } from './chat-request';
import { takeCache, takeMetadataTags, takePriority } from './chat-request';
import { badRequest, unknownModel } from './gateway-error';

/** An embeddings body the gateway accepted: the logical model and the OpenAI body. */
export type EmbeddingsHttpRequest = Omit<ChatRequest, 'request'> & { request: EmbeddingsRequest };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a `POST /v1/embeddings` body as readChatRequest reads a chat body (LiteLLM's
 * `priority`, `metadata.tags` and `cache` taken out; `switchyard` refused): a 400 naming the
 * first field at fault for a body that fails the contracts' embeddings schema, a 404 for a
 * model that is not configured. Whether the model's provider has embeddings is the worker's
 * to say (a 400 `embeddings_not_supported`), as it knows the deployment it calls.
 */
export function readEmbeddingsRequest(
  body: unknown,
  models: ReadonlyMap<string, string>,
): EmbeddingsHttpRequest {
  if (!isObject(body)) throw badRequest('invalid_body', 'The request body must be a JSON object.');
  const copy: Record<string, unknown> = { ...body };
  if ('switchyard' in copy) {
    throw badRequest(
      'invalid_field',
      'switchyard: not accepted over HTTP; use the x-switchyard-* headers for tags, deadline and cache.',
      'switchyard',
    );
  }
  const { model } = copy;
  if (typeof model !== 'string' || model.length === 0) {
    throw badRequest(
      'invalid_field',
      'model: a model name (a non-empty string) is required.',
      'model',
    );
  }
  delete copy['model'];
  const tags = takeMetadataTags(copy);
  if (isObject(copy['metadata']) || copy['metadata'] === null) delete copy['metadata'];
  const priority = takePriority(copy);
  const cache = takeCache(copy);
  const checked = embeddingsRequestSchema.safeParse(copy);
  if (!checked.success) {
    const [first] = checked.error.issues;
    throw badRequest(
      'invalid_field',
      `Invalid request: ${formatIssues(checked.error.issues)}`,
      first === undefined ? undefined : formatIssuePath(first.path),
    );
  }
  const logicalModel = models.get(model);
  if (logicalModel === undefined) throw unknownModel(model);
  return {
    model: logicalModel,
    request: checked.data,
    ...(tags === undefined ? {} : { tags }),
    ...(priority === undefined ? {} : { priority }),
    ...(cache === undefined ? {} : { cache }),
  };
}
