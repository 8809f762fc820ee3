import { jetstream, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { decodeSubjectToken, streamNames, type SwitchyardSubjects } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';
import type { CallAbort } from './call-abort';

/** A job as a cancellation names it: its tenant and id. */
export interface JobRef {
  tenant: string;
  id: string;
}

const refKey = (job: JobRef): string => `${job.tenant}/${job.id}`;

/** At most this many remembered cancellations; the oldest are forgotten first. */
const maxRemembered = 100_000;

/** Options of {@link Cancellations.follow}. */
export interface CancellationsOptions {
  subjects: SwitchyardSubjects;
  /** The installation's stream prefix (stream LLM_CANCELS). */
  streamPrefix: string;
  /** How long a cancellation counts: the stream's max age (`cancelsMaxAgeMs`). */
  rememberMs: number;
  logger: Logger;
}

/**
 * The cancellations of `<root>.cancel.<tenant>.<job>` (each names a tenant and a job id, so a
 * tenant can cancel only its own jobs), followed from the stream LLM_CANCELS, which keeps them
 * for `rememberMs`: a worker that starts after a cancellation (a new pod, a restart) still
 * drops the job. Jobs this worker is serving are aborted at once; jobs not taken yet are
 * remembered so they are dropped unsent.
 */
export class Cancellations {
  private readonly serving = new Map<string, CallAbort>();
  private readonly remembered = new Map<string, number>();
  private messages: ConsumerMessages | undefined;
  private following: Promise<void> = Promise.resolve();

  private constructor(private readonly rememberMs: number) {}

  /**
   * Starts following the cancellations stream from its oldest message, and resolves once the
   * ordered consumer is made (the cancellations already stored then arrive first).
   */
  static async follow(nc: NatsConnection, options: CancellationsOptions): Promise<Cancellations> {
    const cancellations = new Cancellations(options.rememberMs);
    const prefix = options.subjects.cancelAll.slice(0, -1);
    // The stream holds nothing but cancellations (and nats-server 2.9 takes no filter here).
    const consumer = await jetstream(nc).consumers.get(streamNames(options.streamPrefix).cancels, {
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume();
    cancellations.messages = messages;
    cancellations.following = (async () => {
      for await (const msg of messages) {
        const [tenant, token, ...rest] = msg.subject.slice(prefix.length).split('.');
        if (tenant === undefined || token === undefined || rest.length > 0) continue;
        try {
          const at = Math.floor(msg.info.timestampNanos / 1e6);
          cancellations.cancel({ tenant, id: decodeSubjectToken(token) }, at);
        } catch {
          continue;
        }
      }
    })().catch((error: unknown) => {
      options.logger.error({ err: error }, 'following cancellations failed');
    });
    return cancellations;
  }

  /** Whether the job was cancelled before this worker took it. */
  isCancelled(job: JobRef, now = Date.now()): boolean {
    const at = this.remembered.get(refKey(job));
    return at !== undefined && now - at < this.rememberMs;
  }

  /**
   * Aborts `call` (CallAbort.cancel) when the job is cancelled while this worker serves it.
   * Call the returned function when the job is finished.
   */
  track(job: JobRef, call: CallAbort): () => void {
    const key = refKey(job);
    this.serving.set(key, call);
    return () => {
      if (this.serving.get(key) === call) this.serving.delete(key);
    };
  }

  /** Records a cancellation made at `at` (what a message on the cancel subject does). */
  cancel(job: JobRef, at = Date.now()): void {
    const key = refKey(job);
    this.serving.get(key)?.cancel(new Error(`job ${job.id} was cancelled by its caller`));
    this.remembered.delete(key);
    this.remembered.set(key, at);
    const now = Date.now();
    for (const [id, when] of this.remembered) {
      if (this.remembered.size <= maxRemembered && now - when < this.rememberMs) break;
      this.remembered.delete(id);
    }
  }

  /** Stops following. */
  async close(): Promise<void> {
    await this.messages?.close();
    await this.following;
  }
}
