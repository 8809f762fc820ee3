import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Context } from '@opentelemetry/api';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  CONTRACT_VERSION,
  makeError,
  makeErrorReply,
  movedToFallback,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import {
  publishAnswerRecord,
  publishJob,
  publishReply,
  readDeadLetter,
  type DeadLetter,
  type DeadLetterInput,
} from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import { chooseFallback, type FallbackChoice } from './choose-fallback';
import { finalErrorReply } from './final-error';
import type { RecentKeys } from './recent-keys';

/** What handling one dead letter needs. */
export interface DeadLetterContext {
  config: SwitchyardConfig;
  nc: NatsConnection;
  js: JetStreamClient;
  subjects: SwitchyardSubjects;
  log: Logger;
  now: () => number;
  /**
   * Dead letters (by `<job id>#<hop>`) this process has handled: another stored copy of one
   * (a worker that dead-lettered the hop twice outside the duplicate window) is not handled
   * again.
   */
  handled: RecentKeys;
}

/** What the router did with one dead letter. */
export type DeadLetterOutcome =
  | { action: 'fallback'; jobId: string; from: string; to: string }
  | { action: 'final_error'; jobId: string; reason: string }
  | { action: 'duplicate'; jobId: string; msgId: string }
  | { action: 'unreadable'; reason: string };

function decide(letter: DeadLetter, ctx: DeadLetterContext): FallbackChoice {
  const { job } = letter;
  if (job.deadline !== undefined && job.deadline <= ctx.now()) {
    return { exhausted: 'the job is past its deadline' };
  }
  return chooseFallback(job, letter.errorType, ctx.config);
}

/**
 * Handles one dead letter: republishes its job to the next model with the route so far and
 * the same reply subject, or, when the chain is spent, sends the final error to the reply
 * subject. Throws when publishing fails (the caller naks the dead letter to try again).
 *
 * Both paths are idempotent: the republished job's `Nats-Msg-Id` is `<job id>#<hop>`, so a
 * dead letter handled twice stores the next hop once; a final error to a batch results
 * subject carries `<job id>:final`, and readers ignore a second final message for a job.
 */
export async function handleDeadLetter(
  msg: DeadLetterInput,
  traceContext: Context,
  ctx: DeadLetterContext,
): Promise<DeadLetterOutcome> {
  const read = readDeadLetter(msg, ctx.subjects);
  if (!read.ok) {
    ctx.log.error(
      { subject: msg.subject, jobId: read.jobId, reason: read.reason },
      'unreadable dead letter',
    );
    if (read.replyTo !== null) {
      const error = makeError(
        'server',
        'unreadable_dead_letter',
        `the job failed and its dead letter is unreadable: ${read.reason}`,
      );
      await publishReply(ctx.nc, read.replyTo, makeErrorReply(error, read.jobId), {
        subjects: ctx.subjects,
        js: ctx.js,
        traceContext,
        ...(read.jobId === null ? {} : { msgId: `${read.jobId}:final` }),
      });
    }
    return { action: 'unreadable', reason: read.reason };
  }
  const { job, errorType, replyTo, msgId } = read;
  if (ctx.handled.has(msgId)) {
    ctx.log.debug({ jobId: job.id, msgId }, 'dead letter already handled');
    return { action: 'duplicate', jobId: job.id, msgId };
  }
  const choice = decide(read, ctx);
  if ('model' in choice) {
    const next = movedToFallback(job, choice.model);
    await publishJob(ctx.js, next, {
      subjects: ctx.subjects,
      traceContext,
      ...(replyTo === null ? {} : { replyTo }),
    });
    ctx.handled.add(msgId);
    ctx.log.info({ jobId: job.id, from: job.model, to: choice.model, errorType }, 'job falls back');
    return { action: 'fallback', jobId: job.id, from: job.model, to: choice.model };
  }
  const final = finalErrorReply(job, errorType, choice.exhausted);
  // Recorded first, like every final answer: a job submitted again under its id gets it.
  await publishAnswerRecord(
    ctx.js,
    {
      v: CONTRACT_VERSION,
      job_id: job.id,
      tenant: job.tenant,
      hop: job.route.length,
      outcome: 'answered',
      reply: final,
      usage: [],
      ...(job.request_hash === undefined ? {} : { request_hash: job.request_hash }),
      at: ctx.now(),
    },
    { subjects: ctx.subjects },
  );
  if (replyTo !== null) {
    await publishReply(ctx.nc, replyTo, final, {
      subjects: ctx.subjects,
      js: ctx.js,
      traceContext,
      msgId: `${job.id}:final`,
    });
  }
  ctx.handled.add(msgId);
  ctx.log.info(
    { jobId: job.id, model: job.model, errorType, reason: choice.exhausted },
    'fallbacks exhausted; final error sent',
  );
  return { action: 'final_error', jobId: job.id, reason: choice.exhausted };
}
