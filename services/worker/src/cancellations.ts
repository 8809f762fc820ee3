import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeSubjectToken, type SwitchyardSubjects } from '@switchyard/contracts';

/** How long a cancellation is remembered for a job not taken yet. */
export const rememberCancelMs = 15 * 60_000;
/** At most this many remembered cancellations; the oldest are forgotten first. */
const maxRemembered = 100_000;

/**
 * The cancellations this worker process has heard on `<root>.cancel.>` (every worker hears
 * every one): the jobs it is serving are aborted at once, and jobs cancelled before any worker
 * took them are remembered for {@link rememberCancelMs} so they are dropped unsent.
 */
export class Cancellations {
  private readonly serving = new Map<string, AbortController>();
  private readonly remembered = new Map<string, number>();
  private readonly sub: Subscription;

  constructor(nc: NatsConnection, subjects: SwitchyardSubjects) {
    const prefix = subjects.cancelAll.slice(0, -1);
    this.sub = nc.subscribe(subjects.cancelAll, {
      callback: (error, msg) => {
        if (error !== null) return;
        let jobId: string;
        try {
          jobId = decodeSubjectToken(msg.subject.slice(prefix.length));
        } catch {
          return;
        }
        this.cancel(jobId);
      },
    });
  }

  /** Whether the job was cancelled before this worker took it. */
  isCancelled(jobId: string, now = Date.now()): boolean {
    const at = this.remembered.get(jobId);
    return at !== undefined && now - at < rememberCancelMs;
  }

  /**
   * A signal that aborts when the job is cancelled while this worker serves it. Call the
   * returned `done` when the job is finished.
   */
  track(jobId: string): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    this.serving.set(jobId, controller);
    return {
      signal: controller.signal,
      done: () => {
        if (this.serving.get(jobId) === controller) this.serving.delete(jobId);
      },
    };
  }

  /** Records a cancellation (what a message on the cancel subject does). */
  cancel(jobId: string, now = Date.now()): void {
    this.serving.get(jobId)?.abort(new Error(`job ${jobId} was cancelled by its caller`));
    this.remembered.delete(jobId);
    this.remembered.set(jobId, now);
    for (const [id, at] of this.remembered) {
      if (this.remembered.size <= maxRemembered && now - at < rememberCancelMs) break;
      this.remembered.delete(id);
    }
  }

  /** Stops listening. */
  close(): void {
    this.sub.unsubscribe();
  }
}
