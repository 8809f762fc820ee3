import {
  formatIssuePath,
  formatIssues,
  laneOfLiteLlmPriority,
  type CacheControl,
  type JobPriority,
} from '@switchyard/contracts';
import { badRequest, unknownModel } from './gateway-error';
import { checkTags } from './job-headers';

/**
 * A body of a job route the gateway accepted (`POST /v1/chat/completions`, `POST /v1/embeddings`,
 * and their plain NATS requests): the logical model, the OpenAI body `R`, and LiteLLM's extras.
 */
export interface JobRequest<R> {
  /** The logical model: the one the body names, or the one its alias stands for. */
  model: string;
  /** The body without `model`, as checked by the contracts' schema. */
  request: R;
  /** LiteLLM's `metadata.tags`, taken out of `metadata` (whose values OpenAI wants as strings). */
  tags?: string[];
  /** The lane of LiteLLM's `priority` field, taken out of the body; absent: interactive. */
  priority?: JobPriority;
  /** LiteLLM's `cache` controls, taken out of the body. */
  cache?: CacheControl;
}

/** The contracts' schema a route's body must pass (a zod schema's `safeParse`). */
export interface BodySchema<R> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: R }
    | { success: false; error: { issues: Parameters<typeof formatIssues>[0] } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Takes LiteLLM's `metadata.tags` list out of the body; other metadata stays. */
export function takeMetadataTags(body: Record<string, unknown>): string[] | undefined {
  const { metadata } = body;
  if (!isObject(metadata) || !('tags' in metadata)) return undefined;
  const { tags, ...rest } = metadata;
  if (Object.keys(rest).length === 0) delete body['metadata'];
  else body['metadata'] = rest;
  return checkTags(tags, 'metadata.tags');
}

/** Takes LiteLLM's `priority` (an integer, lower is more urgent) out of the body, as a lane. */
export function takePriority(body: Record<string, unknown>): JobPriority | undefined {
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

/** LiteLLM's per-request `cache` keys, and the job's cache control each sets. */
const liteLlmCacheFlags = {
  'use-cache': 'use_cache',
  'no-cache': 'no_cache',
  'no-store': 'no_store',
} as const;

/**
 * Takes LiteLLM's `cache` object (`use-cache`, `no-cache`, `no-store`: booleans; `ttl`: seconds)
 * out of the body. Its other keys (`s-maxage`, `namespace`) are refused, not ignored.
 */
export function takeCache(body: Record<string, unknown>): CacheControl | undefined {
  if (!('cache' in body)) return undefined;
  const { cache } = body;
  delete body['cache'];
  const usage = 'an object of use-cache, no-cache, no-store (true or false) and ttl (seconds)';
  if (!isObject(cache)) throw badRequest('invalid_field', `cache: ${usage} is expected.`, 'cache');
  const control: CacheControl = {};
  for (const [key, value] of Object.entries(cache)) {
    const param = `cache.${key}`;
    if (key === 'ttl') {
      if (!Number.isSafeInteger(value) || (value as number) < 1) {
        throw badRequest(
          'invalid_field',
          `${param}: a whole number of seconds is required.`,
          param,
        );
      }
      control.ttl = value as number;
    } else if (key in liteLlmCacheFlags) {
      if (typeof value !== 'boolean') {
        throw badRequest('invalid_field', `${param}: true or false is required.`, param);
      }
      control[liteLlmCacheFlags[key as keyof typeof liteLlmCacheFlags]] = value;
    } else {
      throw badRequest('invalid_field', `${param}: not supported; cache takes ${usage}.`, param);
    }
  }
  return control;
}

/**
 * Reads the body of a job route: LiteLLM's `priority`, `metadata.tags` and `cache` are taken out
 * of it and become the job's lane, tags and cache controls; with `dropMetadata` (an API without
 * `metadata`, such as embeddings) what is left of `metadata` is dropped too. Throws a 400
 * GatewayError naming the first field at fault (and listing every failing field in the message)
 * for a body that is not a JSON object, has no `model`, fails `schema`, or sets `switchyard`
 * (the gateway sets the job's own fields); a 404 for a model that is not configured. `models`
 * maps each name a request may give to its logical model (see modelNames: aliases included).
 */
export function readJobRequest<R>(
  body: unknown,
  models: ReadonlyMap<string, string>,
  schema: BodySchema<R>,
  options: { dropMetadata?: boolean } = {},
): JobRequest<R> {
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
  if (options.dropMetadata === true && (isObject(copy['metadata']) || copy['metadata'] === null)) {
    delete copy['metadata'];
  }
  const priority = takePriority(copy);
  const cache = takeCache(copy);
  const checked = schema.safeParse(copy);
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
