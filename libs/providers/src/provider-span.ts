import { SpanKind, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';
import type { CompletionUsage, EmbeddingsRequest } from '@switchyard/contracts';
import { TraceAttributes, inSpan, tracer } from '@switchyard/telemetry';
import type { AdapterContext } from './adapter';

const providerTracer = tracer('switchyard.providers');

/**
 * What a provider call does, as the GenAI conventions name it (`gen_ai.operation.name`): a chat
 * completion, streamed or not, or embeddings.
 */
export type ProviderOperation =
  { name: 'chat'; stream: boolean } | { name: 'embeddings'; request: EmbeddingsRequest };

/** The attributes a call's operation adds to its span when it starts. */
function operationAttributes(operation: ProviderOperation): Attributes {
  if (operation.name === 'chat') return { 'gen_ai.request.stream': operation.stream };
  const { dimensions } = operation.request;
  return {
    // Every adapter asks its provider for floats; the worker writes the caller's encoding.
    [TraceAttributes.genAiRequestEncodingFormats]: ['float'],
    ...(dimensions === undefined
      ? {}
      : { [TraceAttributes.genAiEmbeddingsDimensions]: dimensions }),
  };
}

/** The name and start options of a provider call's client span. */
function providerSpan(
  context: AdapterContext,
  operation: ProviderOperation,
): { name: string; options: SpanOptions } {
  const { deployment } = context;
  return {
    name: `${operation.name} ${deployment.providerModel}`,
    options: {
      kind: SpanKind.CLIENT,
      attributes: {
        [TraceAttributes.genAiOperationName]: operation.name,
        [TraceAttributes.genAiSystem]: deployment.provider,
        [TraceAttributes.genAiRequestModel]: deployment.providerModel,
        [TraceAttributes.deployment]: deployment.id,
        ...operationAttributes(operation),
      },
    },
  };
}

/**
 * Starts the client span of one provider call, named as the GenAI conventions say
 * (`chat <provider model>`, `embeddings <provider model>`), a child of the active span (the
 * worker's job span). The caller ends it.
 */
export function startProviderSpan(context: AdapterContext, operation: ProviderOperation): Span {
  const { name, options } = providerSpan(context, operation);
  return providerTracer.startSpan(name, options);
}

/**
 * Runs one provider call in its client span (as startProviderSpan names it): `record` writes
 * what the answer tells (recordProviderAnswer, recordEmbeddingsAnswer); a failure marks the
 * span failed with its error type. The span ends when the call does.
 */
export function inProviderSpan<T>(
  context: AdapterContext,
  operation: ProviderOperation,
  call: () => Promise<T>,
  record: (span: Span, answer: T) => void,
): Promise<T> {
  const { name, options } = providerSpan(context, operation);
  return inSpan(providerTracer, name, options, undefined, async (span) => {
    const answer = await call();
    record(span, answer);
    return answer;
  });
}

/** What a finished chat call tells its span. */
export interface ProviderAnswer {
  id: string;
  model: string;
  usage: CompletionUsage | null | undefined;
  finishReasons: readonly string[];
}

/** Records a finished chat call's response model, id, finish reasons and token counts. */
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

/**
 * Records a finished embeddings call's input tokens, when the provider reported them (Gemini's
 * batchEmbedContents and Cohere on Bedrock do not; the worker bills its own count then).
 */
export function recordEmbeddingsAnswer(span: Span, promptTokens: number | undefined): void {
  if (promptTokens !== undefined) span.setAttribute(TraceAttributes.genAiInputTokens, promptTokens);
}
