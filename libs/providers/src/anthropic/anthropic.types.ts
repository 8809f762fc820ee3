/*
 * The Anthropic Messages API request body, as this adapter writes it (POST /v1/messages).
 * Field names and shapes follow the API reference and `@anthropic-ai/sdk`'s
 * `MessageCreateParams`; only the fields the adapter sends are typed.
 */

/** A prompt-cache breakpoint on a block (`{"type":"ephemeral"}`, optionally with a TTL). */
export interface AnthropicCacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

/** The image formats the Messages API accepts in a base64 source. */
export const anthropicImageMediaTypes = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
] as const;
export type AnthropicImageMediaType = (typeof anthropicImageMediaTypes)[number];

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: AnthropicCacheControl;
}

/** An image given inline (`base64`) or by an `https:` address (`url`). */
export type AnthropicImageSource =
  | { type: 'base64'; media_type: AnthropicImageMediaType; data: string }
  | { type: 'url'; url: string };

export interface AnthropicImageBlock {
  type: 'image';
  source: AnthropicImageSource;
  cache_control?: AnthropicCacheControl;
}

/** A tool call made by the model in an earlier turn; `input` is the parsed arguments object. */
export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: AnthropicCacheControl;
}

/** The output of a tool call, sent in a user turn; `content` is omitted for an empty output. */
export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | AnthropicTextBlock[];
  cache_control?: AnthropicCacheControl;
}

export type AnthropicUserBlock =
  AnthropicTextBlock | AnthropicImageBlock | AnthropicToolResultBlock;
export type AnthropicAssistantBlock = AnthropicTextBlock | AnthropicToolUseBlock;

/** One turn of the conversation: user and assistant turns alternate, the first is a user turn. */
export type AnthropicMessage =
  | { role: 'user'; content: AnthropicUserBlock[] }
  | { role: 'assistant'; content: AnthropicAssistantBlock[] };

/** A JSON Schema whose root is an object, as a tool's input schema must be. */
export type AnthropicInputSchema = { type: 'object' } & Record<string, unknown>;

/** A client tool: `input_schema` is the JSON Schema of its input object. */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: AnthropicInputSchema;
  strict?: boolean;
}

/** How the model uses tools: decide, any tool, one named tool, or none. */
export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** The body of `POST /v1/messages`. */
export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  metadata?: { user_id: string };
  stream?: true;
}
