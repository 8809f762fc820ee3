import type { ChatCompletionRequest } from '@switchyard/contracts';
import { noteCallFailure } from './access-token';
import { prepareRequest } from './prepare-request';
import type { AdapterContext, ProviderAdapter, ProviderCompletion } from './adapter';
import { defaultProviderHttp, type ProviderHttp } from './http/provider-http';
import { errorFromResponse, parseJsonBody, MAX_RESPONSE_BODY_BYTES } from './http/response-body';
import { ProviderError } from './provider-error';
import { recordProviderAnswer, startProviderSpan } from './provider-span';
import { failSpan } from '@switchyard/telemetry';

/** How one provider call runs. */
export interface ChatCallOptions {
  /** Cancels the call: the request is aborted, its connection freed, and `reason` rethrown. */
  readonly signal?: AbortSignal;
  /** The HTTP layer to send with. @defaultValue the shared default (see closeAll) */
  readonly http?: ProviderHttp;
}

/**
 * Calls the provider once, without streaming, and returns its completion in the OpenAI shape.
 * Rejects with a classified ProviderError (never retries), or with the signal's reason when
 * the caller aborted.
 */
export async function completeChat(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: ChatCallOptions = {},
): Promise<ProviderCompletion> {
  const span = startProviderSpan(context, false);
  try {
    const completion = await sendCompletion(adapter, request, context, options);
    recordProviderAnswer(span, {
      id: completion.id,
      model: completion.model,
      usage: completion.usage,
      finishReasons: completion.choices.map((choice) => choice.finish_reason),
    });
    return completion;
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

async function sendCompletion(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: ChatCallOptions,
): Promise<ProviderCompletion> {
  const provider = context.deployment.provider;
  const { authed, httpRequest } = await prepareRequest(adapter, request, context, {
    stream: false,
  });
  const http = options.http ?? defaultProviderHttp;
  const exchange = await http.open(httpRequest, {
    provider,
    timeoutMs: context.deployment.timeoutMs,
    cutCode: 'response_cut',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  try {
    if (exchange.status < 200 || exchange.status > 299) {
      const error = await errorFromResponse(adapter, exchange, options.signal);
      noteCallFailure(authed, error);
      throw error;
    }
    const { text, truncated } = await exchange.readText(MAX_RESPONSE_BODY_BYTES);
    if (truncated) {
      throw new ProviderError(
        'server',
        'response_too_large',
        `the response body is larger than ${MAX_RESPONSE_BODY_BYTES} bytes`,
        { provider, providerStatus: exchange.status },
      );
    }
    return adapter.parseResponse(parseJsonBody(text, provider, exchange.status), context);
  } finally {
    exchange.release();
  }
}
