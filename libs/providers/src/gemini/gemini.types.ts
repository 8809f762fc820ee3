import { z } from 'zod';

/*
 * The Gemini API (Generative Language API, v1beta) wire shapes this adapter writes and reads.
 * Field names follow the REST JSON (camelCase), as in @google/genai's types.
 */

/** Gemini's OpenAPI-subset schema type names. */
export type GeminiSchemaType =
  'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT' | 'NULL';

/** The subset of OpenAPI 3.0 schema that `parameters` and `responseSchema` accept. */
export interface GeminiSchema {
  type?: GeminiSchemaType;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GeminiSchema;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  propertyOrdering?: string[];
  anyOf?: GeminiSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minProperties?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  example?: unknown;
  default?: unknown;
}

/** A JSON object, as `functionCall.args` and `functionResponse.response` carry. */
export type JsonObject = Record<string, unknown>;

export interface GeminiTextPart {
  text: string;
}
export interface GeminiInlineDataPart {
  inlineData: { mimeType: string; data: string };
}
export interface GeminiFileDataPart {
  fileData: { mimeType: string; fileUri: string };
}
export interface GeminiFunctionCallPart {
  functionCall: { name: string; args: JsonObject };
  /** Opaque, echoed back exactly as the model produced it (required by Gemini 3 models). */
  thoughtSignature?: string;
}
export interface GeminiFunctionResponsePart {
  functionResponse: { name: string; response: JsonObject };
}

/** One part of a request turn. */
export type GeminiRequestPart =
  | GeminiTextPart
  | GeminiInlineDataPart
  | GeminiFileDataPart
  | GeminiFunctionCallPart
  | GeminiFunctionResponsePart;

/** One turn of the conversation. Gemini knows two roles: `user` and `model`. */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: GeminiSchema;
}

export interface GeminiTool {
  functionDeclarations: GeminiFunctionDeclaration[];
}

export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE';

export interface GeminiToolConfig {
  functionCallingConfig: {
    mode: GeminiFunctionCallingMode;
    allowedFunctionNames?: string[];
  };
}

export type GeminiThinkingLevel = 'MINIMAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: GeminiThinkingLevel;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseLogprobs?: boolean;
  logprobs?: number;
  responseMimeType?: string;
  responseSchema?: GeminiSchema;
  thinkingConfig?: GeminiThinkingConfig;
}

/** The body of `models/{model}:generateContent` and `:streamGenerateContent`. */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiTextPart[] };
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
}

const tokenCount = z.int().nonnegative();

const responsePartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      id: z.string().optional(),
      name: z.string().min(1),
      args: z.record(z.string(), z.unknown()).nullish(),
    })
    .optional(),
});
export type GeminiResponsePart = z.infer<typeof responsePartSchema>;

const logprobsCandidateSchema = z.looseObject({
  token: z.string().optional(),
  tokenId: z.int().optional(),
  logProbability: z.number().optional(),
});

const logprobsResultSchema = z.looseObject({
  chosenCandidates: z.array(logprobsCandidateSchema).optional(),
  topCandidates: z
    .array(z.looseObject({ candidates: z.array(logprobsCandidateSchema).optional() }))
    .optional(),
});
export type GeminiLogprobsResult = z.infer<typeof logprobsResultSchema>;

const candidateSchema = z.looseObject({
  content: z
    .looseObject({
      parts: z.array(responsePartSchema).optional(),
      role: z.string().optional(),
    })
    .optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  index: z.int().nonnegative().optional(),
  logprobsResult: logprobsResultSchema.optional(),
});
export type GeminiCandidate = z.infer<typeof candidateSchema>;

const usageMetadataSchema = z.looseObject({
  promptTokenCount: tokenCount.optional(),
  candidatesTokenCount: tokenCount.optional(),
  totalTokenCount: tokenCount.optional(),
  cachedContentTokenCount: tokenCount.optional(),
  thoughtsTokenCount: tokenCount.optional(),
  toolUsePromptTokenCount: tokenCount.optional(),
});
export type GeminiUsageMetadata = z.infer<typeof usageMetadataSchema>;

/** A `GenerateContentResponse`: a whole answer, or one event of a stream. */
export const generateContentResponseSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: z
    .looseObject({
      blockReason: z.string().optional(),
      blockReasonMessage: z.string().optional(),
    })
    .optional(),
  usageMetadata: usageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  createTime: z.string().optional(),
});
export type GenerateContentResponse = z.infer<typeof generateContentResponseSchema>;

/** One entry of `error.details`: a `google.rpc.*` message told apart by `@type`. */
const errorDetailSchema = z.looseObject({
  '@type': z.string().optional(),
  reason: z.string().optional(),
  retryDelay: z.string().optional(),
});

/** The `error` object of Google's JSON error body (`google.rpc.Status`). */
export const googleRpcStatusSchema = z.looseObject({
  code: z.int().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(errorDetailSchema).optional(),
});
export type GoogleRpcStatus = z.infer<typeof googleRpcStatusSchema>;

/** `{"error": {...}}`, Google's error body; streamed calls without `alt=sse` wrap it in an array. */
export const googleErrorBodySchema = z.union([
  z.looseObject({ error: googleRpcStatusSchema }),
  z.tuple([z.looseObject({ error: googleRpcStatusSchema })]).rest(z.unknown()),
]);
