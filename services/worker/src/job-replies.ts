import type { NatsConnection } from '@nats-io/nats-core';
import {
  makeErrorReply,
  type ReplyMessage,
  type SwitchyardError,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { publishReply, type JobDelivery } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/** Sends replies to one job's reply subject; a job without one is answered into the log. */
export interface JobReplies {
  /** A result, a chunk or an error; `msgId` de-duplicates durable (batch) replies. */
  send(reply: ReplyMessage, msgId: string): Promise<void>;
  /** An error reply for the job (`jobId` null when the job could not be read). */
  fail(error: SwitchyardError, jobId: string | null): Promise<void>;
}

/** What a JobReplies needs. */
export interface JobRepliesOptions {
  nc: NatsConnection;
  replyTo: string | null;
  subjects: SwitchyardSubjects;
  traceContext: JobDelivery['traceContext'];
  logger: Logger;
}

/** Replies for one delivery. Publishing failures are logged, never thrown. */
export function jobReplies(options: JobRepliesOptions): JobReplies {
  const { nc, replyTo, subjects, traceContext, logger } = options;
  const send = async (reply: ReplyMessage, msgId: string): Promise<void> => {
    if (replyTo === null) {
      logger.warn({ msgId, object: reply.object }, 'job has no reply subject; reply dropped');
      return;
    }
    try {
      await publishReply(nc, replyTo, reply, { subjects, msgId, traceContext });
    } catch (error) {
      logger.error({ err: error, replyTo, msgId }, 'publishing a reply failed');
    }
  };
  return {
    send,
    fail: (error, jobId) => send(makeErrorReply(error, jobId), `${jobId ?? 'unknown'}:error`),
  };
}
