import { Match, type MsgHdrs } from '@nats-io/nats-core';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * Lets OpenTelemetry propagators write into NATS headers. Header names are written as the
 * propagator gives them (`traceparent`, `tracestate`, lowercase, as W3C Trace Context
 * specifies).
 */
export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

/**
 * Lets OpenTelemetry propagators read NATS headers. Names are matched ignoring case, since
 * HTTP-style clients in other languages may write `Traceparent`.
 */
export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys(carrier) {
    return carrier?.keys() ?? [];
  },
  get(carrier, key) {
    if (carrier === undefined || !carrier.has(key, Match.IgnoreCase)) return undefined;
    return carrier.get(key, Match.IgnoreCase);
  },
};

/**
 * Writes the trace context of `ctx` (the active context by default) into the headers, as
 * `traceparent`/`tracestate` with the W3C propagator. With no OpenTelemetry SDK registered
 * the global propagator is a no-op and nothing is written.
 */
export function injectTraceContext(headers: MsgHdrs, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, natsHeaderSetter);
}

/**
 * Reads the trace context a producer put in the headers, as a Context to start the
 * consumer's span in (`tracer.startActiveSpan(name, {}, ctx, …)`). Without headers, or with
 * no SDK registered, it is the root context.
 */
export function extractTraceContext(headers: MsgHdrs | undefined): Context {
  if (headers === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, natsHeaderGetter);
}
