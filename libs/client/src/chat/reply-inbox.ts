import type { NatsConnection } from '@nats-io/nats-core';
import { makeError, type ReplyMessage } from '@switchyard/contracts';
import { AbortError, ServerError, TimeoutError } from '../errors/switchyard.error';
import type { MuxEntry, ReplyMux } from './reply-mux';

/** One thing that happened on a job's inbox: a reply for the job, or the wait ending. */
export type InboxEvent = { reply: ReplyMessage } | { failure: Error };

/** Options of {@link ReplyInbox}. */
export interface ReplyInboxOptions {
  /** The client's reply subscription, on which the job gets a subject of its own. */
  mux: ReplyMux;
  /** Milliseconds until the wait fails with a TimeoutError (`client_timeout`). */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Where to announce that the caller gave up (`subjects.cancel(tenant, jobId)`): published once when
   * the wait times out or is aborted, so the worker serving the job aborts its provider call.
   */
  cancelSubject?: string;
}

/**
 * The wait for one job's answer: its own subject on the client's reply mux, taken before the
 * job is published, so no reply can be missed. Replies for another job id are dropped (an
 * error reply without a job id is kept: the service could not read the job). The timeout and
 * the abort signal end the wait with a failure event and publish the job's cancellation.
 * Events queue until read with next(); close() stops listening.
 */
export class ReplyInbox {
  readonly subject: string;
  private readonly entry: MuxEntry;
  private readonly queue: InboxEvent[] = [];
  private failure: Error | undefined;
  private waiting: ((event: InboxEvent) => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: () => void;
  private ended = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jobId: string,
    private readonly options: ReplyInboxOptions,
  ) {
    this.entry = options.mux.add(jobId, (delivery) => {
      if ('reply' in delivery) this.push({ reply: delivery.reply });
      else if ('unreadable' in delivery) this.fail(new ServerError(delivery.unreadable, jobId));
      else this.fail(delivery.closed);
    });
    this.subject = this.entry.subject;
    this.timer = setTimeout(() => {
      this.giveUp(
        new TimeoutError(
          makeError(
            'timeout',
            'client_timeout',
            `no answer to job ${jobId} within ${options.timeoutMs} ms`,
          ),
          jobId,
        ),
      );
    }, options.timeoutMs);
    this.onAbort = () =>
      this.giveUp(
        new AbortError(`waiting for job ${jobId} was aborted`, { cause: options.signal?.reason }),
      );
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.onAbort();
  }

  /** The next event: replies in arrival order, then (once the wait ended) the failure. */
  next(): Promise<InboxEvent> {
    const event = this.queue.shift();
    if (event !== undefined) return Promise.resolve(event);
    if (this.failure !== undefined) return Promise.resolve({ failure: this.failure });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /**
   * Stops listening and cancels the job: the caller will not use its answer (a cut stream),
   * so the worker serving it should stop.
   */
  abandon(): void {
    const { cancelSubject } = this.options;
    if (!this.ended && cancelSubject !== undefined && !this.nc.isClosed()) {
      this.nc.publish(cancelSubject);
    }
    this.close();
  }

  /** Stops listening: later replies (a duplicate result) are never seen. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.entry.close();
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  private push(event: InboxEvent): void {
    if (this.ended) return;
    if (this.waiting !== undefined) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(event);
    } else {
      this.queue.push(event);
    }
  }

  /** Ends the wait because the caller no longer wants the answer, and cancels the job. */
  private giveUp(failure: Error): void {
    if (this.ended) return;
    const { cancelSubject } = this.options;
    if (cancelSubject !== undefined && !this.nc.isClosed()) this.nc.publish(cancelSubject);
    this.fail(failure);
  }

  private fail(failure: Error): void {
    if (this.ended) return;
    this.failure = failure;
    this.close();
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ failure });
  }
}
