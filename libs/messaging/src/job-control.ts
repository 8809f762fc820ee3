import type { PulledJob } from './job-pulls';

/**
 * What a handler does with a delivered job. Exactly one of ack, nak and term settles it; the
 * first wins and later calls do nothing.
 */
export interface JobControl {
  /**
   * The job is finished (answered, or dead-lettered): it leaves the work queue. The `+ACK` is
   * sent without waiting for the server's confirmation (no round trip): an ack the server
   * never got (its consumer leader died, the connection dropped) makes the job come back
   * after AckWait, and a worker settles a job it finds already settled from its record
   * (stream LLM_ANSWERS) without calling the provider again.
   */
  ack(): Promise<void>;
  /**
   * The job failed in a way worth retrying: it should be delivered again after `delayMs`
   * (at once when omitted or 0), to this or another worker, as the next attempt.
   */
  nak(delayMs?: number): void;
  /**
   * The job must never be delivered again, and stays in the stream unacknowledged. Prefer
   * dead-lettering and `ack()`; `reason` reaches the server's advisory on nats-server 2.11+.
   */
  term(reason?: string): void;
  /**
   * The job is still being worked on: resets the AckWait timer so it is not redelivered.
   * The consumer also sends this on its own while the handler runs (see
   * `ConsumeJobsOptions.progressIntervalMs`).
   */
  working(): void;
  /** True once ack, nak or term was called (or the consumer handed the job back). */
  readonly settled: boolean;
}

/** The consumer's own handle on a delivered job, beside the handler's JobControl. */
export interface JobSettlement {
  readonly control: JobControl;
  /** Naks an unsettled job (after `delayMs`); returns whether it was still unsettled. */
  handBack(delayMs?: number): boolean;
}

/** How a JobControl behaves. */
export interface JobControlOptions {
  /** Whether the server accepts a reason with `+TERM` (nats-server 2.11+). */
  termWithReason: boolean;
  /** Send `working()` this often until settled; 0 sends none. */
  progressIntervalMs: number;
}

/** Wraps a delivered message so that it is settled once, with progress sent while it runs. */
export function createJobSettlement(msg: PulledJob, options: JobControlOptions): JobSettlement {
  return new SettledOnce(msg, options);
}

/**
 * A delivered message's JobControl and JobSettlement in one object (a worker holds one per job
 * in flight, so its methods live on the prototype rather than in closures made per job).
 */
class SettledOnce implements JobControl, JobSettlement {
  private isSettled = false;
  private readonly progress: NodeJS.Timeout | undefined;

  constructor(
    private readonly msg: PulledJob,
    private readonly options: JobControlOptions,
  ) {
    if (options.progressIntervalMs > 0) {
      this.progress = setInterval(() => this.working(), options.progressIntervalMs);
      this.progress.unref();
    }
  }

  get control(): JobControl {
    return this;
  }

  get settled(): boolean {
    return this.isSettled;
  }

  ack(): Promise<void> {
    if (this.settle()) this.msg.ack();
    return Promise.resolve();
  }

  nak(delayMs?: number): void {
    if (this.settle()) {
      this.msg.nak(delayMs !== undefined && delayMs > 0 ? Math.ceil(delayMs) : undefined);
    }
  }

  term(reason?: string): void {
    if (!this.settle()) return;
    if (this.options.termWithReason && reason !== undefined && reason.length > 0) {
      this.msg.term(reason);
    } else {
      this.msg.term();
    }
  }

  working(): void {
    if (!this.isSettled) this.msg.working();
  }

  handBack(delayMs?: number): boolean {
    const wasOpen = !this.isSettled;
    this.nak(delayMs);
    return wasOpen;
  }

  private settle(): boolean {
    if (this.isSettled) return false;
    this.isSettled = true;
    clearInterval(this.progress);
    return true;
  }
}
