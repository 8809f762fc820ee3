import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { inSpan, tracer } from '@switchyard/telemetry';
import type { HeaderBag } from './job-headers';

const gatewayTracer = tracer('switchyard.gateway');

/**
 * The trace an HTTP caller's `traceparent` (and `tracestate`) header continues; the root
 * context without one, or with no OpenTelemetry SDK registered.
 */
export function httpTraceContext(headers: HeaderBag): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/**
 * Runs the answering of one request in a gateway server span, a child of the caller's trace
 * context `parent` (see httpTraceContext, and extractTraceContext of @switchyard/messaging for
 * NATS headers), so the job's `send` span and everything after it join the caller's trace.
 */
export function inRequestSpan<T>(
  name: string,
  parent: Context,
  attributes: Attributes,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  return inSpan(gatewayTracer, name, { kind: SpanKind.SERVER, attributes }, parent, run);
}

/**
 * Records the status a request was answered with on its server span (`http.response.status_code`,
 * also for a NATS request, whose status travels in `Nats-Service-Error-Code`), and marks the
 * span failed for a 5xx only: a 4xx is the caller's error, not the server's (OpenTelemetry's
 * HTTP server conventions).
 */
export function endRequestSpan(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${status}` });
}
