import { z } from 'zod';

/*
 * What the adapter reads from Anthropic: a Message, stream events and error bodies. Objects are
 * loose (Anthropic adds fields under its versioning policy) and only the fields the adapter
 * uses are checked. Shapes follow the API reference and `@anthropic-ai/sdk` (Message, Usage,
 * RawMessageStreamEvent, ErrorResponse).
 */

const tokenCount = z.int().nonnegative();

/** `usage` of a Message: input tokens outside the cache, cache writes, cache reads, output. */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  cache_creation_input_tokens: tokenCount.nullish(),
  cache_read_input_tokens: tokenCount.nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: tokenCount.optional() }).nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** Why the model stopped refusing, when `stop_reason` is `refusal`. */
const stopDetailsSchema = z.looseObject({ explanation: z.string().nullish() }).nullish();

/** A content block of a Message, told apart by `type`; blocks the adapter does not read pass. */
export const anthropicContentBlockSchema = z.looseObject({ type: z.string() });

export const anthropicTextBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
});

export const anthropicToolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

/** A Message, the body of a successful non-streaming `POST /v1/messages`. */
export const anthropicMessageSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string().min(1),
  content: z.array(anthropicContentBlockSchema),
  stop_reason: z.string().nullable(),
  stop_sequence: z.string().nullish(),
  stop_details: stopDetailsSchema,
  usage: anthropicUsageSchema,
});
export type AnthropicMessageResponse = z.infer<typeof anthropicMessageSchema>;

/**
 * Usage as stream events carry it: `message_start` has the Message's usage and `message_delta`
 * cumulative counts, any of which may be absent or null.
 */
export const anthropicStreamUsageSchema = z.looseObject({
  input_tokens: tokenCount.nullish(),
  output_tokens: tokenCount.nullish(),
  cache_creation_input_tokens: tokenCount.nullish(),
  cache_read_input_tokens: tokenCount.nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: tokenCount.optional() }).nullish(),
});
export type AnthropicStreamUsage = z.infer<typeof anthropicStreamUsageSchema>;

/** The `error` object of an error body or of a stream `error` event. */
export const anthropicErrorObjectSchema = z.looseObject({
  type: z.string(),
  message: z.string(),
  details: z.looseObject({ error_code: z.string().optional() }).nullish(),
});
export type AnthropicErrorObject = z.infer<typeof anthropicErrorObjectSchema>;

/** The body of an error response: `{"type":"error","error":{…},"request_id":…}`. */
export const anthropicErrorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: anthropicErrorObjectSchema,
});

/** One server-sent event's data, told apart by `type`; unknown types are ignored. */
export const anthropicStreamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('message_start'),
    message: z.looseObject({
      id: z.string().min(1),
      model: z.string().min(1),
      usage: anthropicStreamUsageSchema.nullish(),
    }),
  }),
  z.looseObject({
    type: z.literal('content_block_start'),
    index: z.int().nonnegative(),
    content_block: z.looseObject({
      type: z.string(),
      id: z.string().optional(),
      name: z.string().optional(),
    }),
  }),
  z.looseObject({
    type: z.literal('content_block_delta'),
    index: z.int().nonnegative(),
    delta: z.looseObject({
      type: z.string(),
      text: z.string().optional(),
      partial_json: z.string().optional(),
    }),
  }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.int().nonnegative() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({
      stop_reason: z.string().nullish(),
      stop_details: stopDetailsSchema,
    }),
    usage: anthropicStreamUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
  z.looseObject({ type: z.literal('ping') }),
  z.looseObject({ type: z.literal('error'), error: anthropicErrorObjectSchema }),
]);
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

/** The event types the decoder reads; any other `type` is skipped (versioning policy). */
export const knownStreamEventTypes: ReadonlySet<string> = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);
