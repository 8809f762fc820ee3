import type { NatsConnection } from '@nats-io/nats-core';
import type { BatchRecord, BatchRequest } from '@switchyard/batches';
import {
  ConnectionError,
  OverloadedError,
  SwitchyardError,
  type Switchyard,
} from '@switchyard/client';
import { makeError, makeErrorReply, type SwitchyardSubjects } from '@switchyard/contracts';
import { publishReply } from '@switchyard/messaging';
import type { AnswerTally } from './answer-tally';
import type { BatchMetrics, SubmitOutcome } from './batch-metrics';

/** What submitting a line did; `full`: the jobs stream is full, nothing was queued, try again. */
export type LineSubmission = SubmitOutcome | 'full';

/**
 * Publishes one line of a batch as a job (batch lane, the batch's key, the line's
 * deterministic job id). A line the queue refuses for good (an invalid or oversized job) is
 * answered on the batch's results subject with that error, as a worker would answer it, so
 * it is counted and written like every other answer. A full jobs stream refuses it for now
 * (`full`: it is to be published again later, never answered for it). A ConnectionError is
 * thrown: nothing is known to be queued, and the run stops to be resumed.
 */
export class LineSubmitter {
  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: SwitchyardSubjects,
    private readonly metrics: BatchMetrics,
  ) {}

  /** Submits one line; resolves to what the jobs stream did with it. */
  async submit(
    client: Switchyard,
    record: BatchRecord,
    request: BatchRequest,
  ): Promise<LineSubmission> {
    const outcome = await this.publish(client, record, request);
    if (outcome !== 'full') this.metrics.submitted(outcome);
    return outcome;
  }

  private async publish(
    client: Switchyard,
    record: BatchRecord,
    request: BatchRequest,
  ): Promise<LineSubmission> {
    // The batch's key is billed, whatever key_id a line names.
    const extras = { ...request.job.switchyard };
    delete extras.key_id;
    if (record.key_id !== undefined) extras.key_id = record.key_id;
    const job = { ...request.job, switchyard: extras };
    try {
      const submission = await client.batches.submit(record.batch.id, [job]);
      return submission.duplicates > 0 ? 'duplicate' : 'queued';
    } catch (error) {
      if (error instanceof OverloadedError) return 'full';
      if (!(error instanceof SwitchyardError) || error instanceof ConnectionError) throw error;
      const refused = makeError('invalid_job', error.code, error.message);
      await publishReply(
        this.nc,
        this.subjects.results(record.tenant, record.batch.id),
        makeErrorReply(refused, request.jobId),
        { subjects: this.subjects, msgId: `${record.tenant}.${request.jobId}:refused` },
      );
      return 'refused';
    }
  }
}

/** Options of {@link submitLines}. */
export interface SubmitLinesOptions {
  submitter: LineSubmitter;
  client: Switchyard;
  record: BatchRecord;
  requests: readonly BatchRequest[];
  tally: AnswerTally;
  maxInFlight: number;
  signal: AbortSignal;
  /** Checked before each line: true stops submitting (a cancel, the window's end). */
  shouldStop: () => boolean;
  /** Aborts when `shouldStop` turns true (a cancel seen): waiting publishers look at once. */
  wake: AbortSignal;
  /** Lines 0 to `count` - 1 are all acknowledged. */
  onSubmitted: (count: number) => void;
}

/** Publishes at once, at most: enough to keep the jobs stream's acknowledgements flowing. */
const publishers = 32;

/** How long a line the full jobs stream refused waits before it is published again. */
const fullStreamRetryMs = 1_000;

/**
 * Submits a batch's lines from `record.submitted` on, in input order, keeping at most
 * `maxInFlight` submitted lines unanswered. Lines already answered (a resumed run) are skipped.
 * Resolves to how many lines are submitted (all of them, unless stopped or aborted).
 */
export async function submitLines(options: SubmitLinesOptions): Promise<number> {
  const { requests, tally, signal } = options;
  let next = options.record.submitted;
  let watermark = next;
  const acknowledged = new Set<number>();
  const acknowledge = (index: number) => {
    acknowledged.add(index);
    while (acknowledged.delete(watermark)) watermark += 1;
    options.onSubmitted(watermark);
  };
  let failed = false;
  const publisher = async () => {
    const stopped = () => failed || signal.aborted || options.shouldStop();
    while (next < requests.length && !stopped()) {
      if (next - tally.answered >= options.maxInFlight) {
        await tally.nextAnswer(tickOrAbort(signal, options.wake));
        continue;
      }
      const index = next++;
      const request = requests[index] as BatchRequest;
      if (!tally.has(request.jobId)) {
        // A line the full stream refused is published again until it is queued: it stays
        // unacknowledged (so a resumed run sends it again) if the run stops meanwhile.
        for (;;) {
          let submitted: LineSubmission;
          try {
            submitted = await options.submitter.submit(options.client, options.record, request);
          } catch (error) {
            if (signal.aborted) return;
            failed = true;
            throw error;
          }
          if (submitted !== 'full') break;
          await elapsed(
            AbortSignal.any([signal, options.wake, AbortSignal.timeout(fullStreamRetryMs)]),
          );
          if (stopped()) return;
        }
      }
      acknowledge(index);
    }
  };
  await Promise.all(Array.from({ length: publishers }, publisher));
  return watermark;
}

/** A signal that aborts after a second or with `signal` or `wake`: waits re-check their condition. */
function tickOrAbort(signal: AbortSignal, wake: AbortSignal): AbortSignal {
  return AbortSignal.any([signal, wake, AbortSignal.timeout(1_000)]);
}

/** Resolves when `signal` aborts (listening to it, not to the run's signal that it follows). */
function elapsed(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
