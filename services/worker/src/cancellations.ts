import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeSubjectToken, type SwitchyardSubjects } from '@switchyard/contracts';

/** A job as a cancellation names it: its tenant and id. */
export interface JobRef {
  tenant: string;
  id: string;
}

const refKey = (job: JobRef): string => `${job.tenant}/${job.id}`;

/** How long a cancellation is remembered for a job not taken yet. */
export const rememberCancelMs = 15 * 60_000;
/** At most this many remembered cancellations; the oldest are forgotten first. */
const maxRemembered = 100_000;

/**
 * The cancellations this worker process has heard on `<root>.cancel.>` (every worker hears
 * every one; each names a tenant and a job id, so a tenant can cancel only its own jobs): the
 * jobs it is serving are aborted at once, and jobs cancelled before any worker took them are
 * remembered for {@link rememberCancelMs} so they are dropped unsent.
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
        const [tenant, token, ...rest] = msg.subject.slice(prefix.length).split('.');
        if (tenant === undefined || token === undefined || rest.length > 0) return;
        try {
          this.cancel({ tenant, id: decodeSubjectToken(token) });
        } catch {
          return;
        }
      },
    });
  }

  /** Whether the job was cancelled before this worker took it. */
  isCancelled(job: JobRef, now = Date.now()): boolean {
    const at = this.remembered.get(refKey(job));
    return at !== undefined && now - at < rememberCancelMs;
  }

  /**
   * A signal that aborts when the job is cancelled while this worker serves it. Call the
   * returned `done` when the job is finished.
   */
  track(job: JobRef): { signal: AbortSignal; done(): void } {
    const key = refKey(job);
    const controller = new AbortController();
    this.serving.set(key, controller);
    return {
      signal: controller.signal,
      done: () => {
        if (this.serving.get(key) === controller) this.serving.delete(key);
      },
    };
  }

  /** Records a cancellation (what a message on the cancel subject does). */
  cancel(job: JobRef, now = Date.now()): void {
    const key = refKey(job);
    this.serving.get(key)?.abort(new Error(`job ${job.id} was cancelled by its caller`));
    this.remembered.delete(key);
    this.remembered.set(key, now);
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
