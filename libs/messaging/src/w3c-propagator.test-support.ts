import {
  createTraceState,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A minimal W3C Trace Context propagator for specs (the OpenTelemetry SDK is not installed):
 * it writes and reads `traceparent` and `tracestate` as the SDK's W3CTraceContextPropagator
 * does, so specs can check that trace context crosses NATS.
 */
export class W3CTestPropagator implements TextMapPropagator<unknown> {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter<unknown>): void {
    const span = trace.getSpanContext(ctx);
    if (span === undefined || !isSpanContextValid(span)) return;
    const flags = (span.traceFlags & 0xff).toString(16).padStart(2, '0');
    setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-${flags}`);
    const state = span.traceState?.serialize();
    if (state !== undefined && state.length > 0) setter.set(carrier, 'tracestate', state);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter<unknown>): Context {
    const match = traceparentPattern.exec(first(getter.get(carrier, 'traceparent')) ?? '');
    if (match === null) return ctx;
    const [, traceId = '', spanId = '', flags = '00'] = match;
    const state = first(getter.get(carrier, 'tracestate'));
    return trace.setSpanContext(ctx, {
      traceId,
      spanId,
      traceFlags: Number.parseInt(flags, 16),
      isRemote: true,
      ...(state === undefined ? {} : { traceState: createTraceState(state) }),
    });
  }

  fields(): string[] {
    return ['traceparent', 'tracestate'];
  }
}
