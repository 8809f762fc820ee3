import { z } from 'zod';

/*
 * The wire shapes of Cohere's v2 Chat API (`POST /v2/chat`) this adapter writes and reads,
 * snake_case as on the wire (the cohere-ai SDK's camelCase types are its own serialisation).
 */

/** A text part of a message's content. */
export interface CohereTextContent {
  type: 'text';
  text: string;
}

/** An image part of a user message: a `data:` URL or an http(s) URL. */
export interface CohereImageContent {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

/** A function call the assistant made, as Cohere writes it and expects it back. */
export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One message of the conversation: roles system, user, assistant and tool. */
export type CohereMessage =
  | { role: 'system'; content: string | CohereTextContent[] }
  | { role: 'user'; content: string | (CohereTextContent | CohereImageContent)[] }
  | {
      role: 'assistant';
      content?: string | CohereTextContent[];
      tool_calls?: CohereToolCall[];
      /** The model's own words before its tool calls (Cohere's "tool plan"). */
      tool_plan?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string | CohereTextContent[] };

/** A function the model may call; `parameters` is a JSON Schema. */
export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** `response_format`: JSON output, optionally following a JSON Schema. */
export type CohereResponseFormat =
  { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };

/** The body of `POST /v2/chat`. */
export interface CohereChatRequestBody {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: CohereTool[];
  strict_tools?: boolean;
  /** `REQUIRED`: call a tool; `NONE`: answer in text; absent: the model decides. */
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: CohereResponseFormat;
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  /** Top-k sampling. */
  k?: number;
  /** Top-p (nucleus) sampling. */
  p?: number;
}

const tokenCount = z.number().nonnegative();

/** `usage`: billed units (what Cohere charges) and the tokens the model saw. */
export const cohereUsageSchema = z.looseObject({
  billed_units: z
    .looseObject({
      input_tokens: tokenCount.nullish(),
      output_tokens: tokenCount.nullish(),
    })
    .nullish(),
  tokens: z
    .looseObject({
      input_tokens: tokenCount.nullish(),
      output_tokens: tokenCount.nullish(),
    })
    .nullish(),
  cached_tokens: tokenCount.nullish(),
});
export type CohereUsage = z.infer<typeof cohereUsageSchema>;

const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z
    .looseObject({ name: z.string().nullish(), arguments: z.string().nullish() })
    .nullish(),
});
export type CohereResponseToolCall = z.infer<typeof toolCallSchema>;

const contentItemSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
});

/** A whole `/v2/chat` answer. */
export const cohereChatResponseSchema = z.looseObject({
  id: z.string().nullish(),
  finish_reason: z.string().nullish(),
  message: z.looseObject({
    role: z.string().nullish(),
    content: z.array(contentItemSchema).nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
    tool_plan: z.string().nullish(),
  }),
  usage: cohereUsageSchema.nullish(),
});
export type CohereChatResponse = z.infer<typeof cohereChatResponseSchema>;

/** The content of a `content-start` / `content-delta` event. */
export const cohereStreamContentSchema = z.looseObject({
  type: z.string().nullish(),
  text: z.string().nullish(),
});

/** The tool call of a `tool-call-start` / `tool-call-delta` event (one call, not a list). */
export const cohereStreamToolCallSchema = toolCallSchema;

/**
 * One event of a `/v2/chat` stream; `type` tells them apart. `delta.message` holds different
 * things per type (a list of calls in `message-start`, one call in `tool-call-start`), so its
 * fields are read per type by the decoder.
 */
export const cohereStreamEventSchema = z.looseObject({
  type: z.string(),
  id: z.string().nullish(),
  index: z.number().int().nonnegative().nullish(),
  delta: z
    .looseObject({
      message: z
        .looseObject({
          content: z.unknown().optional(),
          tool_plan: z.unknown().optional(),
          tool_calls: z.unknown().optional(),
        })
        .nullish(),
      finish_reason: z.string().nullish(),
      usage: cohereUsageSchema.nullish(),
      error: z.string().nullish(),
    })
    .nullish(),
});
export type CohereStreamEvent = z.infer<typeof cohereStreamEventSchema>;

/** Cohere's error body: `{message}`, sometimes with an `id`. */
export const cohereErrorBodySchema = z.looseObject({
  id: z.string().nullish(),
  message: z.string(),
});
