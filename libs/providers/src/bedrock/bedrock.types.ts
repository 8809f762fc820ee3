import { z } from 'zod';

/*
 * Bedrock's Converse API as it travels on the wire (JSON, camelCase), per
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html. Response
 * schemas are loose: fields Bedrock adds later are kept and ignored.
 */

/** A text block of a message or of `system`. */
export interface ConverseTextBlock {
  text: string;
}

/** An image block: the raw bytes, base64 in JSON. */
export interface ConverseImageBlock {
  image: { format: 'png' | 'jpeg' | 'gif' | 'webp'; source: { bytes: string } };
}

/** A tool call the model made. */
export interface ConverseToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: unknown };
}

/** The answer to a tool call: text, or JSON when the tool answered with a JSON object. */
export interface ConverseToolResultBlock {
  toolResult: {
    toolUseId: string;
    content: ({ text: string } | { json: unknown })[];
    status?: 'success' | 'error';
  };
}

/** A block of a user or assistant message. */
export type ConverseContentBlock =
  ConverseTextBlock | ConverseImageBlock | ConverseToolUseBlock | ConverseToolResultBlock;

/** One turn; Converse requires the turns to alternate, starting with a user turn. */
export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseContentBlock[];
}

/** A tool the model may call. */
export interface ConverseTool {
  toolSpec: { name: string; description?: string; inputSchema: { json: unknown } };
}

/** Which tool the model calls: it decides, at least one, or the named one. */
export type ConverseToolChoice =
  { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

/** The body of `POST /model/{modelId}/converse` (and `/converse-stream`). */
export interface ConverseRequestBody {
  messages: ConverseMessage[];
  system?: ConverseTextBlock[];
  inferenceConfig?: {
    maxTokens?: number;
    temperature?: number;
    topP?: number;
    stopSequences?: string[];
  };
  toolConfig?: { tools: ConverseTool[]; toolChoice?: ConverseToolChoice };
}

/** Token counts; `inputTokens` leave out the tokens read from or written to the prompt cache. */
export const converseUsageSchema = z.looseObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative().optional(),
  cacheReadInputTokens: z.number().int().nonnegative().nullish(),
  cacheWriteInputTokens: z.number().int().nonnegative().nullish(),
});
export type ConverseUsage = z.infer<typeof converseUsageSchema>;

const outputBlockSchema = z.looseObject({
  text: z.string().optional(),
  toolUse: z
    .looseObject({ toolUseId: z.string(), name: z.string(), input: z.unknown() })
    .optional(),
});
export type ConverseOutputBlock = z.infer<typeof outputBlockSchema>;

/** A Converse answer. */
export const converseResponseSchema = z.looseObject({
  output: z.looseObject({
    message: z.looseObject({
      role: z.string(),
      content: z.array(outputBlockSchema),
    }),
  }),
  stopReason: z.string(),
  usage: converseUsageSchema,
  metrics: z.looseObject({ latencyMs: z.number() }).optional(),
});
export type ConverseResponse = z.infer<typeof converseResponseSchema>;

/** ConverseStream's `contentBlockStart`: a tool call's id and name (text blocks send none). */
export const contentBlockStartSchema = z.looseObject({
  contentBlockIndex: z.number().int().nonnegative(),
  start: z
    .looseObject({
      toolUse: z.looseObject({ toolUseId: z.string(), name: z.string() }).optional(),
    })
    .optional(),
});

/** ConverseStream's `contentBlockDelta`: text, or a piece of a tool call's input JSON. */
export const contentBlockDeltaSchema = z.looseObject({
  contentBlockIndex: z.number().int().nonnegative(),
  delta: z.looseObject({
    text: z.string().optional(),
    toolUse: z.looseObject({ input: z.string() }).optional(),
  }),
});

/** ConverseStream's `messageStop`. */
export const messageStopSchema = z.looseObject({ stopReason: z.string() });

/** ConverseStream's `metadata`: the usage of the whole answer. */
export const streamMetadataSchema = z.looseObject({ usage: converseUsageSchema });

/** An error body (`{message}`; some gateways spell it `Message`). */
export const bedrockErrorBodySchema = z.looseObject({
  message: z.string().optional(),
  Message: z.string().optional(),
});
