import type { ProviderAdapter } from '../adapter';
import { buildGeminiEmbeddingsRequest, parseGeminiEmbeddings } from './gemini.embeddings';
import { classifyGeminiError } from './gemini.errors';
import { buildGeminiRequest } from './gemini.request';
import { parseGeminiResponse } from './gemini.response';
import { GeminiStreamDecoder } from './gemini.stream';

/**
 * Google's Gemini API (Generative Language API, `generateContent`, API key auth) behind the
 * OpenAI chat-completions shape. See gemini.request.ts, gemini.response.ts, gemini.stream.ts
 * and gemini.errors.ts for the translation rules; embeddings (`batchEmbedContents`) in
 * gemini.embeddings.ts.
 */
export const geminiAdapter: ProviderAdapter = {
  providers: ['gemini'],
  buildRequest: buildGeminiRequest,
  parseResponse: parseGeminiResponse,
  createStreamDecoder: (context) => new GeminiStreamDecoder(context),
  classifyError: classifyGeminiError,
  buildEmbeddingsRequest: buildGeminiEmbeddingsRequest,
  parseEmbeddingsResponse: parseGeminiEmbeddings,
};
