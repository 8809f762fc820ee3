import type { JsMsg } from '@nats-io/jetstream';

/**
 * What a handler does with a delivered job. Exactly one of ack, nak and term settles it; the
 * first wins and later calls do nothing.
 */
export interface JobControl {
  /**
   * The job is finished (answered, or dead-lettered): it leaves the work queue. Resolves when
   * the server confirmed the acknowledgement; rejects when it did not answer in time (the
   * job may then be delivered again after AckWait, which idempotent replies tolerate).
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
  /**
   * Sends `+ACK` to a delivery's ack subject again and resolves when the server confirmed it.
   * When given, an ack the server did not confirm (its consumer leader died, and a new one is
   * being elected) is sent again with backoff for up to `ackRetryMs`, so the job is not
   * delivered a second time. @defaultValue no retry
   */
  reack?: (ackSubject: string) => Promise<void>;
  /** How long an unconfirmed ack is retried. @defaultValue 30000 */
  ackRetryMs?: number;
}

/** Wraps a delivered message so that it is settled once, with progress sent while it runs. */
export function createJobSettlement(msg: JsMsg, options: JobControlOptions): JobSettlement {
  let settled = false;
  const progress =
    options.progressIntervalMs > 0
      ? setInterval(() => {
          if (!settled) msg.working();
        }, options.progressIntervalMs)
      : undefined;
  progress?.unref();

  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    clearInterval(progress);
    return true;
  };
  const nak = (delayMs?: number): void => {
    if (settle()) msg.nak(delayMs !== undefined && delayMs > 0 ? Math.ceil(delayMs) : undefined);
  };

  const control: JobControl = {
    async ack() {
      if (!settle()) return;
      try {
        await msg.ackAck();
      } catch (error) {
        const ackSubject = ackSubjectOf(msg);
        if (options.reack === undefined || ackSubject === undefined) throw error;
        await retryAck(ackSubject, options.reack, options.ackRetryMs ?? 30_000, error);
      }
    },
    nak,
    term(reason) {
      if (!settle()) return;
      if (options.termWithReason && reason !== undefined && reason.length > 0) msg.term(reason);
      else msg.term();
    },
    working() {
      if (!settled) msg.working();
    },
    get settled() {
      return settled;
    },
  };
  return {
    control,
    handBack(delayMs) {
      const wasOpen = !settled;
      nak(delayMs);
      return wasOpen;
    },
  };
}

async function retryAck(
  ackSubject: string,
  reack: (ackSubject: string) => Promise<void>,
  retryMs: number,
  firstError: unknown,
): Promise<void> {
  const giveUpAt = Date.now() + retryMs;
  let lastError = firstError;
  for (let attempt = 0; Date.now() < giveUpAt; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 2_000)));
    try {
      await reack(ackSubject);
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * The delivery's ack subject (`$JS.ACK.…`). nats.js's message class exposes it as `reply`,
 * which its `JsMsg` interface does not declare; undefined if it is not there.
 */
function ackSubjectOf(msg: JsMsg): string | undefined {
  const reply: unknown = Reflect.get(msg, 'reply');
  return typeof reply === 'string' && reply !== '' ? reply : undefined;
}
