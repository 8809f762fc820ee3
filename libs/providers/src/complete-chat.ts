import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext, ProviderAdapter, ProviderCompletion } from './adapter';
import { jsonProviderCall, type ChatCallOptions } from './provider-call';
import { inProviderSpan, recordProviderAnswer } from './provider-span';

/**
 * Calls the provider once, without streaming, and returns its completion in the OpenAI shape.
 * Rejects with a classified ProviderError (never retries), or with the signal's reason when
 * the caller aborted. The call is a `chat <provider model>` client span.
 */
export function completeChat(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  context: AdapterContext,
  options: ChatCallOptions = {},
): Promise<ProviderCompletion> {
  return inProviderSpan(
    context,
    { name: 'chat', stream: false },
    async () => {
      const body = await jsonProviderCall(adapter, context, options, (authed) =>
        adapter.buildRequest(request, authed, { stream: false }),
      );
      return adapter.parseResponse(body, context);
    },
    (span, completion) =>
      recordProviderAnswer(span, {
        id: completion.id,
        model: completion.model,
        usage: completion.usage,
        finishReasons: completion.choices.map((choice) => choice.finish_reason),
      }),
  );
}
