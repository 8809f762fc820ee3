import { SpanKind, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';
import type { CompletionUsage, EmbeddingsRequest } from '@switchyard/contracts';
import { TraceAttributes, inSpan, tracer } from '@switchyard/telemetry';
import type { AdapterContext } from './adapter';

const providerTracer = tracer('switchyard.providers');
const clientSpan: SpanOptions = { kind: SpanKind.CLIENT };

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

/** The name of a provider call's client span, as the GenAI conventions say. */
function providerSpanName(context: AdapterContext, operation: ProviderOperation): string {
  return `${operation.name} ${context.deployment.providerModel}`;
}

/**
 * Gives a provider call's span its attributes, when the span is recorded (with tracing off,
 * the default, nothing reads them and they are not built).
 */
function describeCall(span: Span, context: AdapterContext, operation: ProviderOperation): void {
  if (!span.isRecording()) return;
  const { deployment } = context;
  span.setAttributes({
    [TraceAttributes.genAiOperationName]: operation.name,
    [TraceAttributes.genAiSystem]: deployment.provider,
    [TraceAttributes.genAiRequestModel]: deployment.providerModel,
    [TraceAttributes.deployment]: deployment.id,
    ...operationAttributes(operation),
  });
}

/**
 * Starts the client span of one provider call, named as the GenAI conventions say
 * (`chat <provider model>`, `embeddings <provider model>`), a child of the active span (the
 * worker's job span). The caller ends it.
 */
export function startProviderSpan(context: AdapterContext, operation: ProviderOperation): Span {
  const span = providerTracer.startSpan(providerSpanName(context, operation), clientSpan);
  describeCall(span, context, operation);
  return span;
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
  const name = providerSpanName(context, operation);
  return inSpan(providerTracer, name, clientSpan, undefined, async (span) => {
    describeCall(span, context, operation);
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
  if (!span.isRecording()) return;
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
