import { z } from 'zod';

/*
 * The OpenAI chat-completions wire format, as OpenAI and the compatible servers send it
 * (openai-node `resources/chat/completions`). The response schemas are lenient where
 * compatible servers differ (missing ids, `finish_reason: ""`, tool-call arguments sent as an
 * object) and strict where a missing field means the body is not a completion at all.
 */

/** A text content part of a request message. */
export interface OpenAiTextPart {
  type: 'text';
  text: string;
}

/** An image content part of a user message. */
export interface OpenAiImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** A refusal content part of an assistant message sent back as history. */
export interface OpenAiRefusalPart {
  type: 'refusal';
  refusal: string;
}

/** A function call made by the model, as sent back in an assistant message. */
export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One message of a chat-completions request. */
export type OpenAiMessage =
  | { role: 'system' | 'developer'; content: string | OpenAiTextPart[]; name?: string }
  | { role: 'user'; content: string | (OpenAiTextPart | OpenAiImagePart)[]; name?: string }
  | {
      role: 'assistant';
      content?: string | (OpenAiTextPart | OpenAiRefusalPart)[] | null;
      tool_calls?: OpenAiToolCall[];
      refusal?: string | null;
      name?: string;
    }
  | { role: 'tool'; content: string | OpenAiTextPart[]; tool_call_id: string };

/** A function tool the model may call. */
export interface OpenAiTool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean | null;
  };
}

/** `tool_choice` as OpenAI takes it. */
export type OpenAiToolChoice =
  'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** `response_format` as OpenAI takes it. */
export type OpenAiResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

const tokenCount = z.number().nonnegative();

/**
 * `usage` of a completion or of a stream's last chunk. `prompt_cache_hit_tokens` is
 * DeepSeek's name for cached prompt tokens.
 */
export const openAiUsageSchema = z.looseObject({
  prompt_tokens: tokenCount.nullish(),
  completion_tokens: tokenCount.nullish(),
  total_tokens: tokenCount.nullish(),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: tokenCount.nullish() })
    .nullish()
    .catch(undefined),
  completion_tokens_details: z
    .looseObject({ reasoning_tokens: tokenCount.nullish() })
    .nullish()
    .catch(undefined),
  prompt_cache_hit_tokens: tokenCount.nullish().catch(undefined),
});
export type OpenAiUsage = z.infer<typeof openAiUsageSchema>;

/** Tool-call arguments: JSON text, or (from some local servers) the parsed object. */
const toolArgumentsSchema = z.union([z.string(), z.record(z.string(), z.unknown())]);

/** A tool call in a response message, or a piece of one in a stream delta. */
export const openAiToolCallSchema = z.looseObject({
  index: z.int().nonnegative().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z
    .looseObject({ name: z.string().nullish(), arguments: toolArgumentsSchema.nullish() })
    .nullish(),
});
export type OpenAiToolCallWire = z.infer<typeof openAiToolCallSchema>;

const contentSchema = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().nullish() })),
]);

/** The message of a completion choice. */
export const openAiResponseMessageSchema = z.looseObject({
  role: z.string().nullish(),
  content: contentSchema.nullish(),
  tool_calls: z.array(openAiToolCallSchema).nullish(),
  refusal: z.string().nullish(),
});

/** One choice of a `chat.completion`. */
export const openAiChoiceSchema = z.looseObject({
  index: z.int().nonnegative().nullish(),
  message: openAiResponseMessageSchema,
  finish_reason: z.string().nullish(),
  logprobs: z.unknown().optional(),
});

/** A `chat.completion` body. */
export const openAiCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  object: z.string().nullish(),
  created: z.number().nonnegative().nullish(),
  model: z.string().nullish(),
  choices: z.array(openAiChoiceSchema).min(1),
  usage: openAiUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});
export type OpenAiCompletion = z.infer<typeof openAiCompletionSchema>;

/** One choice of a `chat.completion.chunk`. */
export const openAiChunkChoiceSchema = z.looseObject({
  index: z.int().nonnegative().nullish(),
  delta: z
    .looseObject({
      role: z.string().nullish(),
      content: z.string().nullish(),
      tool_calls: z.array(openAiToolCallSchema).nullish(),
      refusal: z.string().nullish(),
    })
    .nullish(),
  finish_reason: z.string().nullish(),
  logprobs: z.unknown().optional(),
});
export type OpenAiChunkChoice = z.infer<typeof openAiChunkChoiceSchema>;

/**
 * A `chat.completion.chunk`. Groq reports a stream's usage in `x_groq.usage`; Perplexity
 * labels its chunks `chat.completion`.
 */
export const openAiChunkSchema = z.looseObject({
  id: z.string().nullish(),
  object: z.string().nullish(),
  created: z.number().nonnegative().nullish(),
  model: z.string().nullish(),
  choices: z.array(openAiChunkChoiceSchema).nullish(),
  usage: openAiUsageSchema.nullish(),
  x_groq: z.looseObject({ usage: openAiUsageSchema.nullish() }).nullish().catch(undefined),
  system_fingerprint: z.string().nullish(),
});
export type OpenAiChunk = z.infer<typeof openAiChunkSchema>;

/**
 * The error object of an OpenAI-style error body, `{"error": {...}}`, or the top-level body of
 * servers that send it unwrapped (vLLM, Mistral: `{"object": "error", "message": ...}`).
 * `code` is a string at OpenAI, a number at vLLM and OpenRouter; `message` is an object in
 * Mistral's validation errors; `innererror` is Azure's content-filter detail.
 */
export const openAiErrorObjectSchema = z.looseObject({
  message: z.unknown().optional(),
  type: z.string().nullish().catch(undefined),
  param: z.string().nullish().catch(undefined),
  code: z.union([z.string(), z.number()]).nullish().catch(undefined),
  innererror: z.looseObject({ code: z.string().nullish() }).nullish().catch(undefined),
});
export type OpenAiErrorObject = z.infer<typeof openAiErrorObjectSchema>;
