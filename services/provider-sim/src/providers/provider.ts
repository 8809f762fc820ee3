import type { IncomingHttpHeaders } from 'node:http';
import type { SimChoice, SimRequest } from '../engine';
import type { RateLimitSnapshot } from '../rate-limit';
import type { SimProviderName } from '../scenario';
import type { ServedUsage } from '../stats';

/** A complete HTTP response, ready to write. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One stream event as written (SSE framing included) and the tokens it carries. */
export interface StreamFrame {
  text: string;
  /** A binary frame (Bedrock's event stream), written instead of `text`. */
  bytes?: Uint8Array;
  tokens: number;
}

/** Where a request went: which API, which deployment, and what the path said. */
export interface Route {
  provider: SimProviderName;
  /** From a `/d/<deployment>/` prefix. */
  deployment?: string;
  /** Gemini's model or Azure's deployment, from the path (none on Azure's v1 API). */
  pathModel?: string;
  /** Gemini: `:streamGenerateContent`. */
  stream?: boolean;
  /** Gemini: `alt=sse` (otherwise a stream is one JSON array). */
  sse?: boolean;
  /**
   * An embeddings endpoint (OpenAI's and Azure's `/embeddings`, Gemini's `:batchEmbedContents`,
   * Cohere's `/v2/embed`, Bedrock's `invoke`, Vertex AI's `:predict`).
   */
  embeddings?: boolean;
  /** Azure's `api-version`; `v1` on Azure's v1 API without one. */
  apiVersion?: string;
  query: URLSearchParams;
}

/** An error a provider answers with; each provider renders it in its own shape. */
export type ErrorCase =
  | { kind: 'missing_key' }
  | { kind: 'invalid_key'; key: string }
  | { kind: 'missing_version' }
  | { kind: 'bad_json' }
  | { kind: 'invalid_request'; message: string; param?: string; code?: string }
  | {
      kind: 'rate_limit';
      retryAfterS: number;
      scope: 'requests' | 'tokens';
      limit: number;
      requested: number;
      model: string;
    }
  | { kind: 'server_error' }
  | { kind: 'unavailable' }
  | { kind: 'overloaded' }
  | { kind: 'context_length'; tokens: number; max: number }
  | { kind: 'content_policy' }
  | { kind: 'not_found'; model: string }
  | { kind: 'unknown_path'; method: string; path: string }
  | { kind: 'too_large' };

const errorKinds: ReadonlySet<string> = new Set<ErrorCase['kind']>([
  'missing_key',
  'invalid_key',
  'missing_version',
  'bad_json',
  'invalid_request',
  'rate_limit',
  'server_error',
  'unavailable',
  'overloaded',
  'context_length',
  'content_policy',
  'not_found',
  'unknown_path',
  'too_large',
]);

/** Whether a reader's result is an error rather than what it read. */
export function isErrorCase<T extends object>(value: T | ErrorCase): value is ErrorCase {
  return 'kind' in value && typeof value.kind === 'string' && errorKinds.has(value.kind);
}

/** Everything needed to render a successful response. */
export interface AnswerContext {
  request: SimRequest;
  route: Route;
  choices: SimChoice[];
  usage: ServedUsage;
  /** The response id (chatcmpl-…, msg_…, Gemini's responseId). */
  id: string;
  /** Unix seconds. */
  created: number;
  chunkTokens: number;
}

/** A 200 answer a provider gives instead of an error for a blocked prompt. */
export interface BlockedAnswer {
  body: string;
  frames: StreamFrame[];
}

/** The provider side of one API: reading requests, writing answers and errors. */
export interface ProviderSim {
  readonly name: SimProviderName;
  /** The API key the request carries; `undefined` when there is none. */
  apiKey(headers: IncomingHttpHeaders, route: Route): string | undefined;
  /** Checks of headers and query besides the key (Anthropic's version header, Azure's api-version). */
  checkRequest(headers: IncomingHttpHeaders, route: Route): ErrorCase | undefined;
  /** Reads a parsed body; an `invalid_request` when the provider would refuse it. */
  parse(body: unknown, route: Route, headers: IncomingHttpHeaders): SimRequest | ErrorCase;
  /** The provider's error response; `route` is absent when the path matched no route. */
  error(error: ErrorCase, requestId: string, route?: Route): WireResponse;
  /** Headers of every answer on this API: request id and rate-limit state. */
  headers(requestId: string, limits: RateLimitSnapshot, now: number): Record<string, string>;
  /** Extra headers of a 429 (retry-after and friends). */
  rateLimitHeaders(retryAfterS: number): Record<string, string>;
  /** The non-streaming body. */
  body(context: AnswerContext): string;
  /** The stream, event by event. */
  frames(context: AnswerContext): StreamFrame[];
  /** An error event in the middle of a stream. */
  streamError(error: ErrorCase, requestId: string): string | Uint8Array;
  /** The frame with its JSON payload cut (`malformed_json`); absent: the SSE text is cut. */
  corruptFrame?(frame: StreamFrame): StreamFrame;
  /**
   * An async check of the whole request once its body is read and its key accepted (Bedrock's
   * SigV4 signature); an error case when it fails.
   */
  verifyRequest?(request: {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }): Promise<ErrorCase | undefined>;
  /**
   * Whose access tokens the API accepts, when only tokens the simulator issued will do (Vertex
   * AI: `google`, see google-token.ts); absent: API keys.
   */
  readonly issuedTokens?: 'google';
  /** Content type of a stream on this route. */
  streamContentType(route: Route): string;
  /** The 200 answer for a blocked prompt, when the provider answers so (see the README). */
  blocked(context: AnswerContext, mode: string | undefined): BlockedAnswer | undefined;
  /** The id of a response. */
  newId(): string;
  /** The id of a request (for request-id headers and error bodies). */
  newRequestId(): string;
  /** The id of a tool call. */
  newToolCallId(): string;
}

/** A JSON body with its content type. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
