import {
  finalBatchStatuses,
  seconds,
  type BatchObject,
  type BatchRecord,
  type BatchRequest,
  type BatchStore,
  type FileStore,
} from '@switchyard/batches';
import type { Switchyard } from '@switchyard/client';
import type { Logger } from '@switchyard/telemetry';
import { AnswerTally } from './answer-tally';
import { writeBatchFiles, type UnrunReason } from './batch-files';
import { readBatchLines } from './batch-lines';
import type { BatchMetrics, FinalStatus } from './batch-metrics';
import { submitLines, type LineSubmitter } from './submit-lines';

/** What every batch run shares. */
export interface BatchRunContext {
  files: FileStore;
  batches: BatchStore;
  /** The client that submits a tenant's jobs. */
  clientFor(tenant: string): Switchyard;
  submitter: LineSubmitter;
  models: ReadonlySet<string>;
  maxRequests: number;
  /** Jobs of one batch unanswered at once, at most. */
  maxInFlight: number;
  /** How often progress (submitted lines, counts) is written to the batch's record. */
  progressEveryMs: number;
  /** How long a cancelled or expired batch waits for the answers of jobs already sent. */
  settleGraceMs: number;
  logger: Logger;
  metrics: BatchMetrics;
}

/** Why a run stopped submitting before every line was sent. */
type Stop = { kind: 'cancel' } | { kind: 'expire' } | null;

/**
 * Runs one batch, from where its record says it is, to a final status: validates its input
 * (failed, or in_progress with its total), submits its lines as jobs (at most `maxInFlight`
 * unanswered), counts the answers, and on the last answer, a cancel or the end of its window
 * writes its output and error files and ends it completed, cancelled or expired.
 *
 * Everything it needs to resume is in the record and the streams: the input file, how many
 * lines were submitted, and the answers on the batch's results subject. A run stopped at any
 * point (its `signal`, a crash) and started again submits no line twice (job ids are
 * deterministic and the jobs stream dedupes them) and counts no answer twice.
 */
export class BatchRun {
  private record: BatchRecord;
  /** A cancel was seen: no later record undoes it. */
  private cancelSeen = false;
  /** The batch's window ended while this run submitted or waited. */
  private windowOver = false;
  /**
   * Aborted when the run must stop (a cancel seen, the window's end): it stops submitting and its
   * waits end at once, not at their next once-a-second look (a cancel acted on late lets the
   * calls it should stop finish). Aborted only once stopReason() says why, so no wait it wakes
   * can spin on a condition that is still false.
   */
  private readonly stopSeen = new AbortController();
  /** A progress save is under way: the next tick skips rather than write the record beside it. */
  private saving = false;

  constructor(
    private readonly ctx: BatchRunContext,
    record: BatchRecord,
  ) {
    this.record = record;
  }

  private get batch(): BatchObject {
    return this.record.batch;
  }

  /** Takes in the record as the bucket has it now (a cancel, or this run's own writes). */
  observe(record: BatchRecord): void {
    this.record = { ...record, submitted: Math.max(record.submitted, this.record.submitted) };
    if (this.stopReason()?.kind === 'cancel') {
      this.cancelSeen = true;
      this.stopSeen.abort();
    }
  }

  /** Runs until the batch is final, or until `signal` aborts (another run resumes it). */
  async run(signal: AbortSignal): Promise<void> {
    if (finalBatchStatuses.has(this.batch.status)) return;
    if (this.batch.status === 'cancelling' && this.batch.in_progress_at === null) {
      await this.change((b) => ({ ...b, status: 'cancelled', cancelled_at: nowSeconds() }));
      this.ctx.metrics.finished('cancelled');
      return;
    }
    const lines = await readBatchLines(this.ctx, this.record);
    if (!lines.ok) {
      await this.change((b) => ({
        ...b,
        status: 'failed',
        failed_at: nowSeconds(),
        errors: { object: 'list', data: lines.problems },
      }));
      this.ctx.metrics.finished('failed');
      return;
    }
    const total = lines.requests.length;
    if (this.batch.status === 'validating') {
      await this.change((b) =>
        b.status === 'validating'
          ? {
              ...b,
              status: 'in_progress',
              in_progress_at: nowSeconds(),
              request_counts: { total, completed: 0, failed: 0 },
            }
          : null,
      );
    }
    await this.execute(lines.requests, signal);
  }

  private async execute(requests: readonly BatchRequest[], signal: AbortSignal): Promise<void> {
    const client = this.ctx.clientFor(this.record.tenant);
    const tally = new AnswerTally(new Set(requests.map((r) => r.jobId)), (outcome) =>
      this.ctx.metrics.answered(outcome),
    );
    const reading = new AbortController();
    const stopReading = () => reading.abort();
    signal.addEventListener('abort', stopReading, { once: true });
    try {
      const { following } = await tally.follow(client, this.batch.id, reading.signal);
      const progress = setInterval(() => void this.saveProgress(tally), this.ctx.progressEveryMs);
      const windowEnds = this.watchWindow();
      try {
        if (this.batch.status === 'in_progress') {
          const submitted = await submitLines({
            submitter: this.ctx.submitter,
            client,
            record: this.record,
            requests,
            tally,
            maxInFlight: this.ctx.maxInFlight,
            signal,
            wake: this.stopSeen.signal,
            shouldStop: () => this.stopReason() !== null,
            onSubmitted: (count) => {
              this.record = { ...this.record, submitted: count };
            },
          });
          await waitFor(
            () => tally.answered >= submitted || this.stopReason() !== null,
            tally,
            AbortSignal.any([signal, this.stopSeen.signal]),
          );
        }
        const stop = tally.answered >= requests.length ? null : this.stopReason();
        await this.finish(requests, tally, stop, signal);
      } finally {
        clearInterval(progress);
        clearTimeout(windowEnds);
        reading.abort();
        await following.catch(() => undefined);
      }
    } finally {
      signal.removeEventListener('abort', stopReading);
    }
  }

  /** Cancelled or expired (and waited for what was sent), or answered in full: the files. */
  private async finish(
    requests: readonly BatchRequest[],
    tally: AnswerTally,
    stop: Stop,
    signal: AbortSignal,
  ): Promise<void> {
    if (signal.aborted) return;
    const client = this.ctx.clientFor(this.record.tenant);
    if (stop !== null && this.batch.status !== 'finalizing') {
      const unanswered = requests
        .slice(0, this.record.submitted)
        .filter((r) => !tally.has(r.jobId));
      for (const request of unanswered) client.jobs.cancel(request.jobId);
      const graceUntil = Date.now() + this.ctx.settleGraceMs;
      await waitFor(
        () => unanswered.every((r) => tally.has(r.jobId)) || Date.now() >= graceUntil,
        tally,
        signal,
        graceUntil,
      );
      if (signal.aborted) return;
    }
    const cancelled = this.batch.cancelling_at !== null;
    const unrun: UnrunReason = cancelled ? 'batch_cancelled' : 'batch_expired';
    await this.change((b) =>
      b.status === 'finalizing'
        ? null
        : { ...b, status: 'finalizing', finalizing_at: nowSeconds() },
    );
    const written = await writeBatchFiles({
      files: this.ctx.files,
      client,
      tenant: this.record.tenant,
      batchId: this.batch.id,
      requests,
      unrun,
    });
    const all = written.completed + written.failed >= requests.length;
    const status: Exclude<FinalStatus, 'failed'> = cancelled
      ? 'cancelled'
      : all
        ? 'completed'
        : 'expired';
    await this.change((b) => {
      const at = nowSeconds();
      const ending =
        status === 'cancelled'
          ? { status, cancelled_at: at }
          : status === 'completed'
            ? { status, completed_at: at }
            : { status, expired_at: at };
      return {
        ...b,
        ...ending,
        output_file_id: written.outputFileId,
        error_file_id: written.errorFileId,
        request_counts: {
          total: requests.length,
          completed: written.completed,
          failed: written.failed,
        },
      };
    });
    this.ctx.metrics.finished(status);
    this.ctx.logger.info(
      { batch: this.batch.id, tenant: this.record.tenant, status: this.batch.status },
      'batch finished',
    );
  }

  private stopReason(): Stop {
    if (this.cancelSeen) return { kind: 'cancel' };
    if (this.batch.status === 'cancelling' && this.batch.cancelling_at !== null) {
      return { kind: 'cancel' };
    }
    if (this.windowOver || Date.now() >= this.batch.expires_at * 1000) return { kind: 'expire' };
    return null;
  }

  /**
   * Wakes the run's waits when the batch's window ends. A window longer than a timer can wait
   * (≈ 24.8 days) is left to the waits' once-a-second look.
   */
  private watchWindow(): NodeJS.Timeout | undefined {
    const leftMs = Math.max(0, this.batch.expires_at * 1000 - Date.now());
    if (leftMs > maxTimerMs) return undefined;
    return setTimeout(() => {
      this.windowOver = true;
      this.stopSeen.abort();
    }, leftMs);
  }

  private async saveProgress(tally: AnswerTally): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    const submitted = this.record.submitted;
    try {
      await this.update((record) =>
        finalBatchStatuses.has(record.batch.status) || record.batch.status === 'finalizing'
          ? null
          : {
              ...record,
              submitted: Math.max(record.submitted, submitted),
              batch: {
                ...record.batch,
                request_counts: {
                  ...record.batch.request_counts,
                  completed: tally.completed,
                  failed: tally.failed,
                },
              },
            },
      );
    } catch (error) {
      this.ctx.logger.warn({ err: error, batch: this.batch.id }, 'saving batch progress failed');
    } finally {
      this.saving = false;
    }
  }

  /** Changes the batch object (compare-and-set on the latest record). */
  private change(change: (batch: BatchObject) => BatchObject | null): Promise<void> {
    return this.update((record) => {
      const batch = change(record.batch);
      return batch === null ? null : { ...record, batch };
    });
  }

  /**
   * Changes the record (compare-and-set) and takes in what is stored, keeping the lines this
   * run has submitted since: the stored count lags (a progress save started before the lines
   * it did not see), and the lines a cancel or the window's end stops are the ones counted.
   */
  private async update(change: (record: BatchRecord) => BatchRecord | null): Promise<void> {
    const stored = await this.ctx.batches.update(this.record.tenant, this.batch.id, change);
    if (stored !== null) this.observe(stored);
  }
}

const nowSeconds = () => seconds(Date.now());

/** The longest delay a Node.js timer takes (2^31 − 1 ms); a longer one fires at once. */
const maxTimerMs = 2_147_483_647;

/**
 * Waits until `done()` holds, re-checking at every answer and at least once a second; ends
 * early when `signal` aborts.
 */
async function waitFor(
  done: () => boolean,
  tally: AnswerTally,
  signal: AbortSignal,
  until = Number.POSITIVE_INFINITY,
): Promise<void> {
  while (!done() && !signal.aborted && Date.now() < until) {
    const tick = new AbortController();
    const timer = setTimeout(() => tick.abort(), 1_000);
    const onAbort = () => tick.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    await tally.nextAnswer(tick.signal);
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
