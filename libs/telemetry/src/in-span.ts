import {
  context as otelContext,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { TraceAttributes } from './trace-attributes';

/**
 * Ends a span as failed by `error`: records the exception, sets the ERROR status and
 * `error.type` (the error's `type` when it has one, like a ProviderError's `rate_limit`,
 * else its class name).
 */
export function failSpan(span: Span, error: unknown): void {
  const type =
    error !== null && typeof error === 'object' && 'type' in error && typeof error.type === 'string'
      ? error.type
      : error instanceof Error
        ? error.name
        : 'unknown';
  span.setAttribute(TraceAttributes.errorType, type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/**
 * Runs `run` in a new span, active for everything `run` calls (a child of `parent`, else of
 * the active span), and ends it: failed with {@link failSpan} when `run` throws. A span that is
 * not recorded (tracing off, the default, or not sampled) only carries the trace context: `run`
 * is called in it directly, with nothing to end or mark (every job runs through here twice).
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  parent: Context | undefined,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  const base = parent ?? otelContext.active();
  const span = tracer.startSpan(name, options, base);
  const active = trace.setSpan(base, span);
  if (span.isRecording()) return runRecorded(span, active, run);
  try {
    return otelContext.with(active, () => run(span));
  } catch (error) {
    // What `run` threw, as the async function it usually is would have rejected with it.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }
}

async function runRecorded<T>(
  span: Span,
  active: Context,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  try {
    return await otelContext.with(active, () => run(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}
