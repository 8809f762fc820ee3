import type { Deployment } from '@switchyard/config';
import type {
  ChatCompletionRequest,
  CompletionChunk,
  CompletionResult,
  CompletionUsage,
  EmbeddingsRequest,
  FinishReason,
} from '@switchyard/contracts';
import type { ProviderError } from './provider-error';

/** An OpenAI `chat.completion` as a provider produced it, before Switchyard adds its block. */
export type ProviderCompletion = Omit<CompletionResult, 'switchyard'>;

/** An OpenAI `chat.completion.chunk` as a provider produced it, before Switchyard's block. */
export type ProviderChunk = Omit<CompletionChunk, 'switchyard'>;

/**
 * Embeddings as a provider produced them: one vector of floats per input, in input order, and
 * the prompt tokens the provider billed (undefined when it reports none: the caller estimates).
 */
export interface ProviderEmbeddings {
  vectors: number[][];
  promptTokens: number | undefined;
}

/** What an adapter knows about the call besides the request itself. */
export interface AdapterContext {
  deployment: Deployment;
  /** Drop parameters the provider does not support instead of failing (`drop_params`). */
  dropParams: boolean;
  /** A bearer token fetched for this call (see withAccessToken), sent instead of the API key. */
  accessToken?: string;
}

/** One HTTP request to a provider, fully built: the HTTP layer sends it as it is. */
export interface ProviderHttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One server-sent event: `event` is absent when the stream sends only `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** How a finished stream ended, once its last event has been read. */
export interface StreamSummary {
  usage: CompletionUsage;
  finishReason: FinishReason;
}

/**
 * Translates one provider stream, event by event, into OpenAI chunks. Stateful: create one
 * per stream. `push` throws a ProviderError for an error event or an event it cannot read;
 * `end` throws a ProviderError (`connection`, code `stream_cut`) when the stream stopped
 * before the provider said it was complete.
 */
export interface StreamDecoder {
  push(event: SseEvent): ProviderChunk[];
  end(): StreamSummary;
}

/** Response headers, lower-case names. */
export type ResponseHeaders = Readonly<Record<string, string | undefined>>;

/**
 * The narrow contract every provider implements: pure translation, no I/O. Vendor details
 * (paths, auth headers, body shapes, error codes) stay inside the adapter; the shared HTTP
 * layer sends what `buildRequest` returns and hands back what the provider answered.
 */
export interface ProviderAdapter {
  /** The provider names this adapter serves, as in config (`openai`, `groq`, …). */
  readonly providers: readonly string[];
  /**
   * The provider request for an OpenAI-shaped chat request. Throws a ProviderError
   * (`bad_request`, with `param`) for a parameter the provider cannot honour, unless
   * `dropParams` is on, in which case the parameter is left out.
   */
  buildRequest(
    request: ChatCompletionRequest,
    context: AdapterContext,
    options: { stream: boolean },
  ): ProviderHttpRequest;
  /**
   * The completion from a successful (2xx) response body, already parsed from JSON. Throws
   * a ProviderError: `server` / `malformed_response` for a body it cannot read,
   * `content_policy` when the provider blocked the answer.
   */
  parseResponse(body: unknown, context: AdapterContext): ProviderCompletion;
  /** A decoder for one streaming response. */
  createStreamDecoder(context: AdapterContext): StreamDecoder;
  /**
   * The classified error for a non-2xx response. `bodyText` may be anything — JSON in the
   * provider's error shape, an HTML page, empty.
   */
  classifyError(status: number, bodyText: string, headers: ResponseHeaders): ProviderError;
  /**
   * The built request made ready to send by an async step the pure `buildRequest` cannot do,
   * such as signing it (Bedrock's SigV4). Rejects with a ProviderError. Absent: sent as built.
   */
  signRequest?(request: ProviderHttpRequest, context: AdapterContext): Promise<ProviderHttpRequest>;
  /**
   * A reader that cuts one streaming response body into events, for a provider whose stream is
   * not server-sent events (Bedrock's binary event stream). Absent: the body is read as SSE.
   */
  createEventReader?(): { push(chunk: Uint8Array): SseEvent[] };
  /**
   * The provider request for an OpenAI-shaped embeddings request, always asking for floats
   * (the caller's `encoding_format` is applied to the answer). Throws a ProviderError like
   * `buildRequest`. Absent: the provider has no embeddings.
   */
  readonly buildEmbeddingsRequest?: (
    request: EmbeddingsRequest,
    context: AdapterContext,
  ) => ProviderHttpRequest;
  /**
   * The vectors of a successful (2xx) embeddings response body, already parsed from JSON.
   * Throws a ProviderError (`server` / `malformed_response`) for a body it cannot read.
   */
  readonly parseEmbeddingsResponse?: (body: unknown, context: AdapterContext) => ProviderEmbeddings;
}
