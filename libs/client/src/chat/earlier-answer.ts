import {
  decodeAnswerRecord,
  makeError,
  type AnswerRecord,
  type CompletionJobInput,
  type CompletionResult,
  type ReplyMessage,
} from '@switchyard/contracts';
import type { ClientContext } from '../client-context';
import { AbortError, ConflictError, TimeoutError, errorFromWire } from '../errors/switchyard.error';

/** How long to wait for the earlier job's answer, and what may end the wait. */
export interface EarlierAnswerWait {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The final reply recorded for a job submitted again under its id: a result is returned (for
 * the caller to check its kind), an error reply thrown as the SwitchyardError subclass of its
 * type. Refused with a ConflictError when the id was used for another request
 * (`idempotency_key_reused`: the fingerprints of the two requests differ).
 */
export function recordedReply(
  record: AnswerRecord,
  job: { id: string; request_hash?: string | undefined },
): Exclude<ReplyMessage, { object: 'error' }> | undefined {
  if (record.request_hash !== job.request_hash) {
    throw new ConflictError(
      makeError(
        'conflict',
        'idempotency_key_reused',
        `job id ${job.id} was already used for another request; use a new id for a new request`,
      ),
      job.id,
    );
  }
  const reply = record.reply;
  if (reply?.object === 'error') throw errorFromWire(reply.error, job.id);
  return reply;
}

/**
 * The answer a chat job submitted again under its id gets: the earlier job's final answer, as
 * its record says (see recordedReply). Refused with a ConflictError `stream_not_replayable` when
 * the earlier job was a stream (its text went to its first caller in chunks; the record keeps
 * only the last).
 */
export function answerOf(
  record: AnswerRecord,
  job: CompletionJobInput & { id: string },
): CompletionResult {
  const reply = recordedReply(record, job);
  if (reply?.object !== 'chat.completion') {
    throw new ConflictError(
      makeError(
        'conflict',
        'stream_not_replayable',
        `job ${job.id} was a stream, answered to its first caller; its text cannot be sent again`,
      ),
      job.id,
    );
  }
  return reply;
}

/**
 * The final record of a job already submitted under this id: read at once when it is stored,
 * else awaited on the job's answer records subject (subscribed before the read, so a record
 * stored in between is not missed). A dead-lettered record means the job is on its way to a
 * fallback model: the wait goes on. Never cancels the job: it is its first caller's.
 */
export async function earlierRecord(
  client: ClientContext,
  jobId: string,
  wait: EarlierAnswerWait,
): Promise<AnswerRecord> {
  const stored = new RecordQueue(jobId, wait);
  const sub = client.nc.subscribe(client.subjects.answers(client.tenant, jobId), {
    callback: (error, msg) => {
      if (error !== null) return;
      const decoded = decodeAnswerRecord(msg.data);
      if (decoded.ok) stored.push(decoded.record);
    },
  });
  try {
    await client.nc.flush();
    const now = await client.replies.record(jobId);
    if (now?.outcome === 'answered') return now;
    for (;;) {
      const record = await stored.next();
      if (record.outcome === 'answered') return record;
    }
  } finally {
    sub.unsubscribe();
  }
}

/** Records as they arrive, read one at a time within the caller's wait. */
class RecordQueue {
  private readonly records: AnswerRecord[] = [];
  private wake: (() => void) | undefined;
  private readonly endsAt: number;

  constructor(
    private readonly jobId: string,
    private readonly wait: EarlierAnswerWait,
  ) {
    this.endsAt = Date.now() + wait.timeoutMs;
  }

  push(record: AnswerRecord): void {
    this.records.push(record);
    this.wake?.();
  }

  async next(): Promise<AnswerRecord> {
    const { jobId, wait } = this;
    for (;;) {
      const record = this.records.shift();
      if (record !== undefined) return record;
      if (wait.signal?.aborted === true) {
        throw new AbortError(`waiting for job ${jobId} was aborted`, { cause: wait.signal.reason });
      }
      const left = this.endsAt - Date.now();
      if (left <= 0) {
        throw new TimeoutError(
          makeError(
            'timeout',
            'client_timeout',
            `no answer to job ${jobId} within ${wait.timeoutMs} ms`,
          ),
          jobId,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const onAbort = (): void => done();
        wait.signal?.addEventListener('abort', onAbort, { once: true });
        function done(): void {
          clearTimeout(timer);
          wait.signal?.removeEventListener('abort', onAbort);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }
}
