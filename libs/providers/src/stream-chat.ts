import { randomUUID } from 'node:crypto';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderAdapter, ProviderChunk, StreamSummary } from './adapter';
import type { ProviderExchange } from './http/provider-http';
import { bodyExcerpt, MAX_ERROR_BODY_BYTES } from './http/response-body';
import { openProviderCall, type ChatCallOptions } from './provider-call';
import { ProviderError } from './provider-error';
import { SseParser } from './sse/sse-parser';
import { recordProviderAnswer, startProviderSpan } from './provider-span';
import { failSpan } from '@switchyard/telemetry';

/** Content types that are certainly not an event stream (an error page, a JSON answer). */
const notAStream = /^(application\/json|text\/html)/i;

async function notAStreamError(exchange: ProviderExchange, provider: string): Promise<never> {
  const contentType = exchange.headers['content-type'] ?? '';
  const { text } = await exchange.readText(MAX_ERROR_BODY_BYTES);
  throw new ProviderError(
    'server',
    'malformed_response',
    `expected an event stream, got ${contentType}: ${bodyExcerpt(text)}`,
    { provider, providerStatus: exchange.status },
  );
}

/**
 * The chunk that ends every stream: no delta, the usage of the whole completion (as OpenAI
 * sends with `stream_options.include_usage`), and the finish reason when no earlier chunk of
 * choice 0 carried one.
 */
function finalChunk(
  first: ProviderChunk | undefined,
  summary: StreamSummary,
  finishSent: boolean,
  providerModel: string,
): ProviderChunk {
  return {
    id: first?.id ?? `chatcmpl-${randomUUID()}`,
    object: 'chat.completion.chunk',
    created: first?.created ?? Math.floor(Date.now() / 1000),
    model: first?.model ?? providerModel,
    choices: finishSent
      ? []
      : [{ index: 0, delta: {}, finish_reason: summary.finishReason, logprobs: null }],
    usage: summary.usage,
    ...(first?.system_fingerprint == null ? {} : { system_fingerprint: first.system_fingerprint }),
  };
}

/**
 * Calls the provider once with streaming and yields its completion as OpenAI chunks as they
 * arrive. The last chunk yielded carries `usage` (its `choices` may be empty); no other does.
 * A stream that ends before the provider's completion marker throws a `connection` /
 * `stream_cut` ProviderError from the iterator; every other failure is a classified
 * ProviderError, or the signal's reason when the caller aborted. Breaking out of the loop
 * cancels the request and frees its connection.
 */
export async function* streamChat(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: ChatCallOptions = {},
): AsyncGenerator<ProviderChunk, void, undefined> {
  const span = startProviderSpan(context, { name: 'chat', stream: true });
  const finishReasons = new Set<string>();
  try {
    for await (const chunk of sendStream(adapter, request, context, options)) {
      for (const choice of chunk.choices) {
        if (choice.finish_reason !== null) finishReasons.add(choice.finish_reason);
      }
      if (chunk.usage != null) {
        recordProviderAnswer(span, {
          id: chunk.id,
          model: chunk.model,
          usage: chunk.usage,
          finishReasons: [...finishReasons],
        });
      }
      yield chunk;
    }
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

async function* sendStream(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: ChatCallOptions,
): AsyncGenerator<ProviderChunk, void, undefined> {
  const deployment = context.deployment;
  const exchange = await openProviderCall(
    adapter,
    context,
    options,
    (authed) => adapter.buildRequest(request, authed, { stream: true }),
    'stream_cut',
  );
  try {
    if (notAStream.test(exchange.headers['content-type'] ?? '')) {
      await notAStreamError(exchange, deployment.provider);
    }
    const parser = adapter.createEventReader?.() ?? new SseParser();
    const decoder = adapter.createStreamDecoder(context);
    let first: ProviderChunk | undefined;
    let finishSent = false;
    for await (const bytes of exchange.bytes()) {
      for (const event of parser.push(bytes)) {
        for (const chunk of decoder.push(event)) {
          first ??= chunk;
          if (chunk.choices.some((choice) => choice.index === 0 && choice.finish_reason !== null)) {
            finishSent = true;
          }
          yield chunk;
        }
      }
    }
    yield finalChunk(first, decoder.end(), finishSent, deployment.providerModel);
  } finally {
    exchange.release();
  }
}
