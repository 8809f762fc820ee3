import {
  CONTRACT_VERSION,
  makeError,
  makeErrorReply,
  type AnswerRecord,
  type AnswerRecordInput,
  withFailedHop,
  type CompletionJob,
  type DeploymentAttempt,
  type ErrorType,
  type ReplyMessage,
  type SwitchyardSubjects,
  type UsageEventInput,
} from '@switchyard/contracts';
import {
  publishAnswerRecord,
  publishDeadLetter,
  publishUsageEvent,
  type JobDelivery,
  type StreamPublish,
} from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import { encodeReply, type JobReplies } from './job-replies';
import { retryDurably } from './retry-durably';
import type { JobOutcome } from './worker-metrics';

/** The delay of the nak of a job whose settlement could not be made durable. */
export const unsettledRetryMs = 5_000;

/** The final message of a job, its message id, and the usage it is billed. */
export interface FinalAnswer {
  reply: ReplyMessage;
  /** `Nats-Msg-Id` of the reply on a durable results subject. */
  msgId: string;
  usage: readonly UsageEventInput[];
}

/** What settling jobs needs from the worker. */
export interface SettlerContext {
  streams: StreamPublish;
  subjects: SwitchyardSubjects;
  /** Called once for each usage event a settlement publishes for the first time (metrics). */
  onUsage(event: UsageEventInput): void;
}

/** The error a reply too large for NATS is replaced with. */
export function resultTooLarge(bytes: number, maxBytes: number) {
  return makeError(
    'bad_request',
    'result_too_large',
    `the answer is ${bytes} bytes, more than the ${maxBytes} a reply can carry on this NATS ` +
      `(max_payload); ask for fewer tokens (max_tokens, n) or stream it (stream: true)`,
  );
}

/**
 * The I/O of settling one delivered job (what decideSettlement and the steps before the call
 * decide). Every final settlement is **recorded before its reply is sent and it is
 * acknowledged** (stream
 * LLM_ANSWERS: the answer and the usage it was billed, or the dead letter): a worker that dies
 * after recording leaves a record that the next delivery replays (`replay`) instead of calling
 * the provider again. So each job is answered once and each call billed once, whoever dies
 * when. A settlement that cannot be made durable (JetStream not answering for
 * `retryDurably`'s budget) is not acknowledged: the job comes back after a nak.
 */
export class JobSettler {
  private readonly hop: number;

  constructor(
    private readonly context: SettlerContext,
    private readonly delivery: JobDelivery & { ok: true },
    private readonly job: CompletionJob,
    private readonly replies: JobReplies,
    private readonly log: Logger,
  ) {
    this.hop = job.route.length;
  }

  /**
   * Answers the job: records the answer, sends it, publishes its usage, acks. An answer too
   * large for NATS is replaced with a `result_too_large` error (the call is still billed: the
   * provider spent the tokens).
   */
  async answer(final: FinalAnswer): Promise<Extract<JobOutcome, 'answered' | 'retried'>> {
    let encoded = encodeReply(final.reply);
    if (encoded.bytes > this.replies.maxBytes) {
      this.log.warn(
        { bytes: encoded.bytes },
        'answer too large for NATS: answered result_too_large',
      );
      const error = resultTooLarge(encoded.bytes, this.replies.maxBytes);
      encoded = encodeReply(makeErrorReply(error, this.job.id));
    }
    const record = this.recordOf('answered', final.usage, { reply: encoded.reply });
    // The record and the usage go out together (one round trip); the reply only once the
    // record is stored, so no caller gets an answer a redelivery could not replay.
    const [recorded, metered] = await Promise.all([
      this.durably('recording the answer', () => this.publishRecord(record, encoded.body)),
      this.meter(final.usage),
    ]);
    if (!recorded || !metered) return this.notDurable();
    if (this.replies.durable) {
      if ((await this.replies.send(encoded, final.msgId)) === 'failed') return this.notDurable();
      await this.delivery.control.ack();
      return 'answered';
    }
    // An inbox reply is a core publish, made before send() returns: the ack follows in the
    // same tick, so both leave in one socket write. Acking before the send settles loses
    // nothing: the answer is recorded, and a caller that missed it reads the record.
    await Promise.all([this.replies.send(encoded, final.msgId), this.delivery.control.ack()]);
    return 'answered';
  }

  /** Answers the job with an error that needs no call record (nothing was spent). */
  answerError(error: Parameters<typeof makeErrorReply>[0], usage: readonly UsageEventInput[] = []) {
    return this.answer({
      reply: makeErrorReply(error, this.job.id),
      msgId: `${this.job.id}:final`,
      usage,
    });
  }

  /**
   * Sends the job to the fallback router: records it, publishes the failed calls' usage and
   * the dead letter (the job with a hop for this model, naming `failedOn`, in its route), acks.
   */
  async deadLetter(
    failedOn: readonly DeploymentAttempt[],
    errorType: ErrorType,
    usage: readonly UsageEventInput[],
  ): Promise<Extract<JobOutcome, 'dead_lettered' | 'retried'>> {
    const job = withFailedHop(this.job, failedOn);
    const record = this.recordOf('dead_lettered', usage, {
      dead_letter: { error_type: errorType, job },
    });
    if (!(await this.durably('recording the dead letter', () => this.publishRecord(record)))) {
      return this.notDurable();
    }
    const [metered, sent] = await Promise.all([
      this.meter(usage),
      this.durably('dead-lettering the job', () => this.publishDeadLetter(job, errorType)),
    ]);
    if (!metered || !sent) return this.notDurable();
    await this.delivery.control.ack();
    return 'dead_lettered';
  }

  /** Publishes the failed call's usage and gives the job back for another try after `delayMs`. */
  async retry(delayMs: number, usage: readonly UsageEventInput[]): Promise<'retried'> {
    await this.meter(usage);
    this.delivery.control.nak(delayMs);
    return 'retried';
  }

  /** Publishes usage of a call that is not settled here (the consumer hands the job back). */
  async meterOnly(usage: readonly UsageEventInput[]): Promise<void> {
    await this.meter(usage);
  }

  /**
   * Repeats a settlement recorded by a worker that did not live to acknowledge it: the reply
   * or the dead letter again, the usage events again (same ids: stored and counted once), ack.
   * No provider is called.
   */
  async replay(record: AnswerRecord): Promise<JobOutcome> {
    this.log.info(
      { outcome: record.outcome, hop: record.hop },
      'settled before: replaying the record',
    );
    const { reply, dead_letter: deadLetter } = record;
    const resent =
      reply !== undefined
        ? (await this.replies.send(reply, `${this.job.id}:final`)) !== 'failed'
        : deadLetter === undefined ||
          (await this.durably('dead-lettering the job again', () =>
            this.publishDeadLetter(deadLetter.job, deadLetter.error_type),
          ));
    const metered = await this.meter(record.usage, { replayed: true });
    if (!resent || !metered) return this.notDurable();
    await this.delivery.control.ack();
    return record.outcome === 'answered' ? 'answered' : 'dead_lettered';
  }

  private recordOf(
    outcome: AnswerRecord['outcome'],
    usage: readonly UsageEventInput[],
    what: Pick<AnswerRecordInput, 'reply' | 'dead_letter'>,
  ): AnswerRecordInput {
    return {
      v: CONTRACT_VERSION,
      job_id: this.job.id,
      tenant: this.job.tenant,
      hop: this.hop,
      outcome,
      ...what,
      usage: [...usage],
      ...(this.job.request_hash === undefined ? {} : { request_hash: this.job.request_hash }),
      at: Date.now(),
    };
  }

  /** Records a settlement; `replyJson` is its reply as already serialized, when it has one. */
  private publishRecord(record: AnswerRecordInput, replyJson?: string) {
    return publishAnswerRecord(this.context.streams, record, {
      subjects: this.context.subjects,
      ...(replyJson === undefined ? {} : { replyJson }),
    });
  }

  private publishDeadLetter(job: CompletionJob, errorType: ErrorType) {
    const { delivery } = this;
    return publishDeadLetter(this.context.streams, job, {
      errorType,
      attempt: delivery.attempt,
      ...(delivery.replyTo === null ? {} : { replyTo: delivery.replyTo }),
      subjects: this.context.subjects,
      traceContext: delivery.traceContext,
    });
  }

  private async meter(
    usage: readonly UsageEventInput[],
    { replayed = false } = {},
  ): Promise<boolean> {
    const stored = await Promise.all(
      usage.map((event) => {
        if (!replayed) this.context.onUsage(event);
        return this.durably('publishing a usage event', () =>
          publishUsageEvent(this.context.streams, event, { subjects: this.context.subjects }),
        );
      }),
    );
    return stored.every(Boolean);
  }

  private durably(what: string, write: () => Promise<unknown>): Promise<boolean> {
    return retryDurably(what, write, { log: this.log });
  }

  private notDurable(): 'retried' {
    this.log.error('the settlement could not be made durable: the job goes back to the queue');
    this.delivery.control.nak(unsettledRetryMs);
    return 'retried';
  }
}
