import { finalBatchStatuses, type BatchRecord } from '@switchyard/batches';
import { BatchRun, type BatchRunContext } from './batch-run';

/** Options of {@link BatchRunner}. */
export interface BatchRunnerOptions extends BatchRunContext {
  /** This runner's name in the leases it takes (unique per process). */
  runnerId: string;
  /** How long a lease holds without renewal: how soon another runner resumes a dead one's batch. */
  leaseMs: number;
  /** How long after a failed run the batch is tried again. */
  retryMs: number;
}

interface ActiveRun {
  run: BatchRun;
  abort: AbortController;
  done: Promise<void>;
  /** Another runner took the lease: the run stops (counted once). */
  leaseLost: boolean;
}

const keyOf = (record: BatchRecord) => `${record.tenant}.${record.batch.id}`;

/** When to look at a batch again: just after its lease ends, spread over a second. */
const afterLease = (record: BatchRecord) =>
  (record.lease?.until_ms ?? Date.now()) + Math.floor(Math.random() * 1_000);

/**
 * Runs the batches of the batches bucket. It watches every batch; one that is not final and
 * whose lease is free or lapsed it claims (compare-and-set on the record) and runs, renewing
 * the lease while it runs. Any number of runners can watch one bucket: each batch has one
 * runner at a time, and a runner that dies (kill -9) leaves a lease that lapses after
 * `leaseMs`, when another runner (or itself restarted) resumes the batch. A runner that finds
 * its lease taken (it stalled past it) stops its run and, like every runner that sees a
 * batch leased to another, looks again when that lease ends: the batch is resumed even if the
 * runner that took it dies before it writes again.
 */
export class BatchRunner {
  private readonly active = new Map<string, ActiveRun>();
  private readonly claiming = new Set<string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** Batches whose last run failed, with when they may be tried again. */
  private readonly backoff = new Map<string, number>();
  private readonly stopping = new AbortController();
  private watching: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatchRunnerOptions) {
    options.metrics.observeRunning(() => this.running);
  }

  /** Starts watching the bucket; batches waiting now are claimed at once. */
  start(): void {
    this.watching = (async () => {
      for await (const record of this.options.batches.watch(this.stopping.signal)) {
        this.onRecord(record);
      }
    })().catch((error: unknown) => {
      if (!this.stopping.signal.aborted) {
        this.options.logger.error({ err: error }, 'watching the batches bucket failed');
      }
    });
  }

  /** Batches being run by this runner now. */
  get running(): number {
    return this.active.size;
  }

  /** Stops every run (each resumes later, here or in another runner) and frees their leases. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const timer of this.retries.values()) clearTimeout(timer);
    const runs = [...this.active.values()];
    for (const active of runs) active.abort.abort();
    await Promise.all(runs.map((active) => active.done));
    await this.watching;
  }

  private onRecord(record: BatchRecord): void {
    const key = keyOf(record);
    const active = this.active.get(key);
    if (active !== undefined) {
      if (record.lease !== null && record.lease.runner !== this.options.runnerId) {
        this.loseLease(active, record);
      } else {
        active.run.observe(record);
      }
      return;
    }
    if (this.claiming.has(key) || finalBatchStatuses.has(record.batch.status)) return;
    if (this.stopping.signal.aborted || (this.backoff.get(key) ?? 0) > Date.now()) return;
    this.backoff.delete(key);
    const lease = record.lease;
    if (lease !== null && lease.runner !== this.options.runnerId && lease.until_ms > Date.now()) {
      this.retryAt(record, afterLease(record));
      return;
    }
    void this.claim(record);
  }

  /**
   * Another runner holds the lease of a batch this one runs: stops the run, and looks at the
   * batch again when that lease ends, since the other runner may die before it writes again.
   */
  private loseLease(active: ActiveRun, record: BatchRecord): void {
    if (!active.leaseLost) {
      active.leaseLost = true;
      this.options.metrics.leaseLost();
      this.options.logger.warn(
        { batch: record.batch.id, runner: record.lease?.runner },
        'the batch’s lease is no longer this runner’s: run stopped',
      );
    }
    active.abort.abort();
    this.retryAt(record, afterLease(record));
  }

  private retryAt(record: BatchRecord, at: number): void {
    const key = keyOf(record);
    clearTimeout(this.retries.get(key));
    const timer = setTimeout(
      () => {
        this.retries.delete(key);
        void this.options.batches
          .get(record.tenant, record.batch.id)
          .then((stored) => stored !== null && this.onRecord(stored.record))
          .catch((error: unknown) =>
            this.options.logger.warn({ err: error }, 'batch lookup failed'),
          );
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
    this.retries.set(key, timer);
  }

  private async claim(record: BatchRecord): Promise<void> {
    const key = keyOf(record);
    const { runnerId, leaseMs } = this.options;
    this.claiming.add(key);
    try {
      const claimed = await this.options.batches.update(
        record.tenant,
        record.batch.id,
        (latest) => {
          if (finalBatchStatuses.has(latest.batch.status)) return null;
          const lease = latest.lease;
          if (lease !== null && lease.runner !== runnerId && lease.until_ms > Date.now())
            return null;
          return { ...latest, lease: { runner: runnerId, until_ms: Date.now() + leaseMs } };
        },
      );
      if (claimed === null || finalBatchStatuses.has(claimed.batch.status)) return;
      if (claimed.lease?.runner !== runnerId) {
        this.options.metrics.claimed('lost');
        this.retryAt(claimed, afterLease(claimed));
        return;
      }
      this.options.metrics.claimed('won');
      if (this.stopping.signal.aborted) return;
      this.begin(claimed);
    } catch (error) {
      this.options.metrics.claimed('failed');
      this.options.logger.warn({ err: error, batch: record.batch.id }, 'claiming a batch failed');
      this.retryAt(record, Date.now() + this.options.retryMs);
    } finally {
      this.claiming.delete(key);
    }
  }

  private begin(record: BatchRecord): void {
    const key = keyOf(record);
    const run = new BatchRun(this.options, record);
    const active: ActiveRun = {
      run,
      abort: new AbortController(),
      done: Promise.resolve(),
      leaseLost: false,
    };
    const renew = setInterval(() => void this.renew(record, active), this.options.leaseMs / 3);
    active.done = (async () => {
      try {
        await run.run(active.abort.signal);
      } catch (error) {
        this.options.logger.error({ err: error, batch: record.batch.id }, 'batch run failed');
        const retryAt = Date.now() + this.options.retryMs;
        this.backoff.set(key, retryAt);
        this.retryAt(record, retryAt);
      } finally {
        clearInterval(renew);
        this.active.delete(key);
        await this.release(record);
      }
    })();
    this.active.set(key, active);
  }

  private async renew(record: BatchRecord, active: ActiveRun): Promise<void> {
    const { runnerId, leaseMs } = this.options;
    try {
      const renewed = await this.options.batches.update(record.tenant, record.batch.id, (latest) =>
        latest.lease?.runner === runnerId
          ? { ...latest, lease: { runner: runnerId, until_ms: Date.now() + leaseMs } }
          : null,
      );
      if (renewed?.lease?.runner === runnerId) return;
      if (renewed === null) active.abort.abort();
      else this.loseLease(active, renewed);
    } catch (error) {
      this.options.metrics.renewFailed();
      this.options.logger.warn({ err: error, batch: record.batch.id }, 'renewing a lease failed');
    }
  }

  private async release(record: BatchRecord): Promise<void> {
    try {
      await this.options.batches.update(record.tenant, record.batch.id, (latest) =>
        latest.lease?.runner === this.options.runnerId ? { ...latest, lease: null } : null,
      );
    } catch (error) {
      this.options.logger.warn({ err: error, batch: record.batch.id }, 'releasing a lease failed');
    }
  }
}
