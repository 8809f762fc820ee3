import type { Meter } from '@opentelemetry/api';
import type { BatchStatus } from '@switchyard/batches';
import type { LineOutcome } from './answer-tally';

/**
 * What submitting one line did: the jobs stream stored it, already had it (a resumed run
 * submitting again a line a dead run had submitted), or refused it for good (answered with
 * the refusal, counted as a failed line).
 */
export const SubmitOutcomes = ['queued', 'duplicate', 'refused'] as const;
export type SubmitOutcome = (typeof SubmitOutcomes)[number];

/**
 * How one attempt to claim a batch's lease ended: this runner holds it, another runner's
 * live lease was found at the compare-and-set, or the bucket could not be written.
 */
export const ClaimOutcomes = ['won', 'lost', 'failed'] as const;
export type ClaimOutcome = (typeof ClaimOutcomes)[number];

const lineOutcomes: readonly LineOutcome[] = ['completed', 'failed'];
const finalStatuses = ['completed', 'failed', 'expired', 'cancelled'] as const;

/** A batch status a run ends a batch with. */
export type FinalStatus = Extract<BatchStatus, (typeof finalStatuses)[number]>;

/**
 * The batch runner's instruments, read on its `/metrics`. Every labelled series starts at 0,
 * so a rate or an alert has a value before the first event. Counts are of what this process
 * did: a line another runner submitted, or an answer stored before this process resumed its
 * batch, is not counted here again.
 */
export class BatchMetrics {
  private readonly lines;
  private readonly answers;
  private readonly finishedBatches;
  private readonly claims;
  private readonly leasesLost;
  private readonly renewFailures;
  private running: () => number = () => 0;

  constructor(meter: Meter) {
    this.lines = meter.createCounter('switchyard_batch_lines_submitted', {
      description:
        'Batch lines this runner submitted as jobs, by outcome (queued, duplicate, refused)',
    });
    this.answers = meter.createCounter('switchyard_batch_answers', {
      description:
        'Answers to batch lines this runner counted as they arrived, by outcome (completed, failed)',
    });
    this.finishedBatches = meter.createCounter('switchyard_batches_finished', {
      description:
        'Batches this runner brought to a final status, by status (completed, failed, expired, cancelled)',
    });
    this.claims = meter.createCounter('switchyard_batch_lease_claims', {
      description: 'Attempts to claim a batch’s lease, by outcome (won, lost, failed)',
    });
    this.leasesLost = meter.createCounter('switchyard_batch_leases_lost', {
      description: 'Runs stopped because another runner took the batch’s lease',
    });
    this.renewFailures = meter.createCounter('switchyard_batch_lease_renew_failures', {
      description: 'Lease renewals that could not write the batches bucket',
    });
    meter
      .createObservableGauge('switchyard_batches_running', {
        description: 'Batches this runner is running now',
      })
      .addCallback((result) => result.observe(this.running()));
    for (const outcome of SubmitOutcomes) this.lines.add(0, { outcome });
    for (const outcome of lineOutcomes) this.answers.add(0, { outcome });
    for (const status of finalStatuses) this.finishedBatches.add(0, { status });
    for (const outcome of ClaimOutcomes) this.claims.add(0, { outcome });
    this.leasesLost.add(0);
    this.renewFailures.add(0);
  }

  /** Reads the running batches from `count` at each collection. */
  observeRunning(count: () => number): void {
    this.running = count;
  }

  submitted(outcome: SubmitOutcome): void {
    this.lines.add(1, { outcome });
  }

  answered(outcome: LineOutcome): void {
    this.answers.add(1, { outcome });
  }

  finished(status: FinalStatus): void {
    this.finishedBatches.add(1, { status });
  }

  claimed(outcome: ClaimOutcome): void {
    this.claims.add(1, { outcome });
  }

  leaseLost(): void {
    this.leasesLost.add(1);
  }

  renewFailed(): void {
    this.renewFailures.add(1);
  }
}
