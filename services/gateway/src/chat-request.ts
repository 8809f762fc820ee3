import {
  chatCompletionRequestSchema,
  laneOfLiteLlmPriority,
  type JobPriority,
  formatIssuePath,
  formatIssues,
  type ChatCompletionRequest,
} from '@switchyard/contracts';
import { badRequest, unknownModel } from './gateway-error';
import { checkTags } from './job-headers';

/** A chat-completions body the gateway accepted: the logical model and the OpenAI body. */
export interface ChatRequest {
  model: string;
  /** The body without `model`, as checked by the contracts' schema. */
  request: ChatCompletionRequest;
  /** LiteLLM's `metadata.tags`, taken out of `metadata` (whose values OpenAI wants as strings). */
  tags?: string[];
  /** The lane of LiteLLM's `priority` field, taken out of the body; absent: interactive. */
  priority?: JobPriority;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Takes LiteLLM's `metadata.tags` list out of the body; other metadata stays. */
function takeMetadataTags(body: Record<string, unknown>): string[] | undefined {
  const { metadata } = body;
  if (!isObject(metadata) || !('tags' in metadata)) return undefined;
  const { tags, ...rest } = metadata;
  if (Object.keys(rest).length === 0) delete body['metadata'];
  else body['metadata'] = rest;
  return checkTags(tags, 'metadata.tags');
}

/** Takes LiteLLM's `priority` (an integer, lower is more urgent) out of the body, as a lane. */
function takePriority(body: Record<string, unknown>): JobPriority | undefined {
  if (!('priority' in body)) return undefined;
  const { priority } = body;
  delete body['priority'];
  if (!Number.isSafeInteger(priority)) {
    throw badRequest(
      'invalid_field',
      'priority: an integer is required (0 and below: interactive; above 0: batch).',
      'priority',
    );
  }
  return laneOfLiteLlmPriority(priority as number);
}

/**
 * Reads a `POST /v1/chat/completions` body (LiteLLM's `priority` and `metadata.tags` are taken
 * out of it and become the job's lane and tags). Throws a 400 GatewayError naming the first field
 * at fault (and listing every failing field in the message) for a body that is not a JSON
 * object or fails the contracts' chat request schema, or that sets `switchyard` (the gateway
 * sets the job's own fields); a 404 for a model that is not configured.
 */
export function readChatRequest(body: unknown, models: ReadonlySet<string>): ChatRequest {
  if (!isObject(body)) {
    throw badRequest('invalid_body', 'The request body must be a JSON object.');
  }
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
  const priority = takePriority(copy);
  const checked = chatCompletionRequestSchema.safeParse(copy);
  if (!checked.success) {
    const [first] = checked.error.issues;
    throw badRequest(
      'invalid_field',
      `Invalid request: ${formatIssues(checked.error.issues)}`,
      first === undefined ? undefined : formatIssuePath(first.path),
    );
  }
  if (!models.has(model)) throw unknownModel(model);
  return {
    model,
    request: checked.data,
    ...(tags === undefined ? {} : { tags }),
    ...(priority === undefined ? {} : { priority }),
  };
}
