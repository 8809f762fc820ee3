import { jetstream, type PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Context } from '@opentelemetry/api';
import {
  subjects as defaultSubjects,
  type ReplyMessage,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { isPublishableSubject, switchyardHeaders } from './message-headers';
import { InvalidReplySubjectError } from './messaging.errors';
import type { StreamPublish } from './stream-publisher';

/** Options of {@link publishReply}. */
export interface PublishReplyOptions {
  /** The installation's subjects. @defaultValue the subjects under `llm` */
  subjects?: SwitchyardSubjects;
  /**
   * `Nats-Msg-Id` for a reply to a durable results subject, so a reply sent again (after a
   * redelivery) is stored once within the duplicate window. Ignored for other subjects.
   */
  msgId?: string;
  /** The JetStream client for durable replies. @defaultValue `jetstream(nc)` */
  js?: StreamPublish;
  /** The trace context to propagate. @defaultValue the active context */
  traceContext?: Context;
  /** Milliseconds to wait for the stream's acknowledgement of a durable reply. */
  timeoutMs?: number;
}

/** How a reply went out: core NATS (fire and forget), or stored in LLM_RESULTS. */
export type PublishReplyResult = { durable: false } | { durable: true; ack: PubAck };

/** True when the subject is a durable batch results subject (`<root>.results.<batch>`). */
export function isResultsSubject(
  subject: string,
  subjects: SwitchyardSubjects = defaultSubjects,
): boolean {
  const prefix = `${subjects.root}.results.`;
  return subject.startsWith(prefix) && subject.length > prefix.length;
}

/**
 * Sends a result, a stream chunk or an error (or its JSON, already serialized) to a job's
 * reply subject, with
 * `Switchyard-Contract` and the trace context in the headers.
 *
 * An inbox (anything but `<root>.results.<batch>`) gets a core NATS publish: it is
 * delivered to whoever listens now, or dropped when nobody does (the caller gave up).
 * A `<root>.results.<batch>` subject gets a JetStream publish that resolves once LLM_RESULTS
 * stored the reply, so a batch's results survive until the batch reader collects them.
 *
 * Throws an InvalidReplySubjectError for a subject one cannot publish to.
 */
export async function publishReply(
  nc: NatsConnection,
  replyTo: string,
  reply: ReplyMessage | string,
  options: PublishReplyOptions = {},
): Promise<PublishReplyResult> {
  const { subjects = defaultSubjects, msgId, traceContext, timeoutMs } = options;
  if (!isPublishableSubject(replyTo)) {
    throw new InvalidReplySubjectError(
      `cannot publish a reply to ${JSON.stringify(replyTo)}: not a publishable subject`,
    );
  }
  const body = typeof reply === 'string' ? reply : JSON.stringify(reply);
  if (!isResultsSubject(replyTo, subjects)) {
    nc.publish(replyTo, body, { headers: switchyardHeaders({ traceContext }) });
    return { durable: false };
  }
  const js = options.js ?? jetstream(nc);
  const ack = await js.publish(replyTo, body, {
    headers: switchyardHeaders({ traceContext }),
    ...(msgId === undefined ? {} : { msgID: msgId }),
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  });
  return { durable: true, ack };
}
