import type { NatsConnection } from '@nats-io/nats-core';
import {
  makeErrorReply,
  type ReplyMessage,
  type SwitchyardError,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import {
  isResultsSubject,
  publishReply,
  type JobDelivery,
  type StreamPublish,
} from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import { retryDurably } from './retry-durably';

/**
 * Room left in a NATS message for the headers and, in an answer record, the usage events that
 * travel with a reply: a reply may be at most `max_payload` minus this.
 */
export const replyHeadroomBytes = 64 * 1024;

/** A reply serialized once: what is published, and its size. */
export interface EncodedReply {
  reply: ReplyMessage;
  body: string;
  bytes: number;
}

/** Serializes a reply once, to check its size and publish it without doing it again. */
export function encodeReply(reply: ReplyMessage): EncodedReply {
  const body = JSON.stringify(reply);
  return { reply, body, bytes: Buffer.byteLength(body) };
}

/**
 * How sending a reply went: published (an inbox has no acknowledgement: delivered to whoever
 * listens), refused for its size (nothing was sent), not stored after retries (a durable
 * results subject), or not sent because the job has no reply subject.
 */
export type SendOutcome = 'sent' | 'too_large' | 'failed' | 'no_reply_subject';

/** Sends replies to one job's reply subject. */
export interface JobReplies {
  /** The largest reply, in bytes, that can be published (see replyHeadroomBytes). */
  readonly maxBytes: number;
  /**
   * Replies are stored by JetStream (a results subject), so `send` resolves once they are;
   * false for an inbox (or no reply subject), where `send` publishes before it returns.
   */
  readonly durable: boolean;
  /**
   * Sends a result, a chunk or an error; `msgId` de-duplicates durable (batch) replies, which
   * are published again with backoff until stored (up to the retry budget). Never throws.
   */
  send(reply: ReplyMessage | EncodedReply, msgId: string): Promise<SendOutcome>;
  /** An error reply for the job (`jobId` null when the job could not be read). */
  fail(error: SwitchyardError, jobId: string | null): Promise<SendOutcome>;
}

/** What a JobReplies needs. */
export interface JobRepliesOptions {
  nc: NatsConnection;
  /** Publishes replies to durable results subjects. */
  streams: StreamPublish;
  replyTo: string | null;
  subjects: SwitchyardSubjects;
  traceContext: JobDelivery['traceContext'];
  logger: Logger;
  /** How long a durable reply is published again before it counts as failed. @defaultValue 30_000 */
  retryMs?: number;
}

/** Replies for one delivery. Publishing failures are logged and returned, never thrown. */
export function jobReplies(options: JobRepliesOptions): JobReplies {
  const { nc, streams, replyTo, subjects, traceContext, logger } = options;
  const maxBytes = Math.max(0, (nc.info?.max_payload ?? 1024 * 1024) - replyHeadroomBytes);
  const send = async (
    message: ReplyMessage | EncodedReply,
    msgId: string,
  ): Promise<SendOutcome> => {
    const encoded = 'body' in message ? message : encodeReply(message);
    if (replyTo === null) {
      logger.warn(
        { msgId, object: encoded.reply.object },
        'job has no reply subject; reply dropped',
      );
      return 'no_reply_subject';
    }
    if (encoded.bytes > maxBytes) {
      logger.warn({ msgId, bytes: encoded.bytes, maxBytes }, 'reply too large to publish');
      return 'too_large';
    }
    const stored = await retryDurably(
      'publishing a reply',
      () => publishReply(nc, replyTo, encoded.body, { js: streams, subjects, msgId, traceContext }),
      {
        log: logger,
        context: { replyTo, msgId },
        ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
      },
    );
    return stored ? 'sent' : 'failed';
  };
  return {
    maxBytes,
    durable: replyTo !== null && isResultsSubject(replyTo, subjects),
    send,
    fail: (error, jobId) => send(makeErrorReply(error, jobId), `${jobId ?? 'unknown'}:error`),
  };
}
