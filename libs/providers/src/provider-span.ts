import { SpanKind, type Span } from '@opentelemetry/api';
import type { CompletionUsage } from '@switchyard/contracts';
import { TraceAttributes, tracer } from '@switchyard/telemetry';
import type { AdapterContext } from './adapter';

const providerTracer = tracer('switchyard.providers');

/**
 * Starts the client span of one provider call, named as the GenAI conventions say
 * (`chat <provider model>`), a child of the active span (the worker's job span).
 */
export function startProviderSpan(context: AdapterContext, stream: boolean): Span {
  const { deployment } = context;
  return providerTracer.startSpan(`chat ${deployment.providerModel}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      [TraceAttributes.genAiOperationName]: 'chat',
      [TraceAttributes.genAiSystem]: deployment.provider,
      [TraceAttributes.genAiRequestModel]: deployment.providerModel,
      [TraceAttributes.deployment]: deployment.id,
      'gen_ai.request.stream': stream,
    },
  });
}

/** What a finished provider call tells its span. */
export interface ProviderAnswer {
  id: string;
  model: string;
  usage: CompletionUsage | null | undefined;
  finishReasons: readonly string[];
}

/** Records a finished call's response model, id, finish reasons and token counts. */
export function recordProviderAnswer(span: Span, answer: ProviderAnswer): void {
  span.setAttributes({
    [TraceAttributes.genAiResponseId]: answer.id,
    [TraceAttributes.genAiResponseModel]: answer.model,
    [TraceAttributes.genAiResponseFinishReasons]: [...answer.finishReasons],
  });
  if (answer.usage != null) {
    span.setAttributes({
      [TraceAttributes.genAiInputTokens]: answer.usage.prompt_tokens,
      [TraceAttributes.genAiOutputTokens]: answer.usage.completion_tokens,
    });
  }
}
