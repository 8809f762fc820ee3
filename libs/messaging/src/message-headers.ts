import { headers as createHeaders, Match, type MsgHdrs } from '@nats-io/nats-core';
import type { Context } from '@opentelemetry/api';
import { CONTRACT_VERSION, HeaderNames } from '@switchyard/contracts';
import { injectTraceContext } from './trace-context';

/** What the headers of a Switchyard message carry besides the trace context. */
export interface SwitchyardHeaderValues {
  /** `Nats-Msg-Id`: the idempotency key JetStream deduplicates on. */
  msgId?: string;
  /** `Switchyard-Reply-To`: where the answer to a job goes. */
  replyTo?: string;
  /** `Switchyard-Attempt`: the 1-based delivery that produced the message. */
  attempt?: number;
  /** `Switchyard-Error-Type`: why a job was dead-lettered. */
  errorType?: string;
  /** The trace context to propagate. @defaultValue the active context */
  traceContext?: Context;
}

/**
 * Headers for a Switchyard message: `Switchyard-Contract` (always), the given values, and
 * the W3C trace context (`traceparent`, `tracestate`) of `traceContext` or the active
 * context.
 */
export function switchyardHeaders(values: SwitchyardHeaderValues = {}): MsgHdrs {
  const headers = createHeaders();
  headers.set(HeaderNames.contract, String(CONTRACT_VERSION));
  if (values.msgId !== undefined) headers.set(HeaderNames.msgId, values.msgId);
  if (values.replyTo !== undefined) headers.set(HeaderNames.replyTo, values.replyTo);
  if (values.attempt !== undefined) headers.set(HeaderNames.attempt, String(values.attempt));
  if (values.errorType !== undefined) headers.set(HeaderNames.errorType, values.errorType);
  injectTraceContext(headers, values.traceContext);
  return headers;
}

/** A header's value (name matched ignoring case), or null when absent or empty. */
export function readHeader(headers: MsgHdrs | undefined, name: string): string | null {
  if (headers === undefined || !headers.has(name, Match.IgnoreCase)) return null;
  const value = headers.get(name, Match.IgnoreCase).trim();
  return value.length > 0 ? value : null;
}

const subjectToken = /^[^\s.*>]+$/;

/**
 * True for a subject a message can be published to: dot-separated, non-empty tokens with no
 * whitespace and no wildcard (`*`, `>`).
 */
export function isPublishableSubject(subject: string): boolean {
  return subject.length > 0 && subject.split('.').every((token) => subjectToken.test(token));
}

/** The outcome of reading `Switchyard-Reply-To`. */
export type ReadReplyToResult =
  { ok: true; replyTo: string | null } | { ok: false; replyTo: null; reason: string };

/**
 * Reads `Switchyard-Reply-To`: null when the message has none (nobody waits for an answer),
 * a failure when it is not a subject one can publish to.
 */
export function readReplyTo(headers: MsgHdrs | undefined): ReadReplyToResult {
  const value = readHeader(headers, HeaderNames.replyTo);
  if (value === null) return { ok: true, replyTo: null };
  if (!isPublishableSubject(value)) {
    return {
      ok: false,
      replyTo: null,
      reason: `${HeaderNames.replyTo} ${JSON.stringify(value.slice(0, 80))} is not a subject a reply can be published to`,
    };
  }
  return { ok: true, replyTo: value };
}
