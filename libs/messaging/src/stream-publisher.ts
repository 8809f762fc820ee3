import { JetStreamApiError, JetStreamError, type ApiError, type PubAck } from '@nats-io/jetstream';
import {
  headers as natsHeaders,
  nuid,
  PermissionViolationError,
  TimeoutError,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/nats-core';

/** The options of a publish a stream must store. */
export interface StreamPublishOptions {
  /** `Nats-Msg-Id`: the stream stores a message id once within its duplicate window. */
  msgID?: string;
  headers?: MsgHdrs;
  /** Milliseconds to wait for the stream's acknowledgement. */
  timeout?: number;
}

/**
 * Publishing a message that a JetStream stream stores, resolved with its acknowledgement
 * (`PubAck`). `JetStreamClient` is one; {@link StreamPublisher} is the one for hot paths.
 */
export interface StreamPublish {
  publish(
    subject: string,
    payload: string | Uint8Array,
    options?: StreamPublishOptions,
  ): Promise<PubAck>;
}

interface Waiting {
  subject: string;
  resolve(ack: PubAck): void;
  reject(error: Error): void;
  /** Set once the publish is written. */
  timer?: NodeJS.Timeout;
}

const noResponders = 503;

/**
 * JetStream publishes whose acknowledgements arrive on one wildcard subscription of the
 * publisher's own (`<inbox prefix>.<nuid>.<token>`), matched by token. It does what
 * `JetStreamClient.publish` does with one attempt: the same wire messages and the same errors
 * (a `JetStreamApiError` for an API error such as a full stream, a `PermissionViolationError`
 * when the connection's NATS user may not publish to the subject, a `TimeoutError` when no
 * acknowledgement came in time); but a publish builds no error object unless it fails (nats.js
 * builds two, with their stack traces, for every request: ≈ 7 % of a worker's CPU). The inbox
 * prefix must be one the connection's NATS user may subscribe to.
 *
 * Publishes made during one turn of the event loop go out together, at its end (setImmediate):
 * nats.js writes what was published since the last microtask in one socket write, so the
 * answers settled by every I/O callback of a turn (each provider response is one) share a
 * write instead of costing one each. A loopback socket write is the worker's most expensive
 * call (its kernel time includes delivering the bytes to nats-server); order is kept.
 */
export class StreamPublisher implements StreamPublish {
  private readonly prefix: string;
  private readonly waiting = new Map<string, Waiting>();
  private readonly subscription: Subscription;
  private readonly timeoutMs: number;
  private next = 0;
  private queued: (() => void)[] = [];

  constructor(
    private readonly nc: NatsConnection,
    options: { inboxPrefix: string; timeoutMs?: number },
  ) {
    this.prefix = `${options.inboxPrefix}.${nuid.next()}`;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.subscription = nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => (error === null ? this.settle(msg) : this.failAll(error)),
    });
    void this.watchPermissionErrors();
  }

  publish(
    subject: string,
    payload: string | Uint8Array,
    options: StreamPublishOptions = {},
  ): Promise<PubAck> {
    const token = (this.next++).toString(36);
    const headers = options.headers ?? natsHeaders();
    if (options.msgID !== undefined) headers.set('Nats-Msg-Id', options.msgID);
    const timeoutMs = options.timeout ?? this.timeoutMs;
    return new Promise<PubAck>((resolve, reject) => {
      const waiting: Waiting = { subject, resolve, reject };
      this.waiting.set(token, waiting);
      this.enqueue(() => {
        if (!this.waiting.has(token)) return;
        try {
          this.nc.publish(subject, payload, { reply: `${this.prefix}.${token}`, headers });
        } catch (error) {
          this.forget(token)?.reject(error as Error);
          return;
        }
        waiting.timer = setTimeout(() => this.timeOut(token), timeoutMs);
      });
    });
  }

  /**
   * A publish's time is up. The verdict waits one turn of the event loop (setImmediate runs
   * after the loop has read its sockets): a busy process (thousands of provider answers
   * arriving at once) can run its timers seconds late, and an acknowledgement that arrived
   * meanwhile must count, not be taken for a stream that stopped answering.
   */
  private timeOut(token: string): void {
    setImmediate(() => this.forget(token)?.reject(new TimeoutError()));
  }

  private enqueue(send: () => void): void {
    this.queued.push(send);
    if (this.queued.length > 1) return;
    setImmediate(() => {
      const batch = this.queued;
      this.queued = [];
      for (const each of batch) each();
    });
  }

  /** Stops listening; publishes still waiting fail. */
  close(): void {
    this.subscription.unsubscribe();
    this.failAll(new JetStreamError('the stream publisher was closed'));
  }

  private settle(msg: Msg): void {
    const waiting = this.forget(msg.subject.slice(this.prefix.length + 1));
    if (waiting === undefined) return;
    if (msg.headers?.code === noResponders) {
      waiting.reject(
        new JetStreamError(`no stream answered on ${waiting.subject}: is JetStream up?`),
      );
      return;
    }
    try {
      waiting.resolve(pubAckOf(msg.json<unknown>()));
    } catch (error) {
      waiting.reject(error as Error);
    }
  }

  /**
   * The server refuses a publish the user may not make with an error naming its subject (and
   * sends nothing back): it fails the oldest publish to that subject still waiting, at once.
   */
  private async watchPermissionErrors(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type !== 'error') continue;
      const { error } = status;
      if (!(error instanceof PermissionViolationError) || error.operation !== 'publish') continue;
      for (const [token, waiting] of this.waiting) {
        if (waiting.subject !== error.subject) continue;
        this.forget(token)?.reject(error);
        break;
      }
    }
  }

  private forget(token: string): Waiting | undefined {
    const waiting = this.waiting.get(token);
    if (waiting === undefined) return undefined;
    this.waiting.delete(token);
    clearTimeout(waiting.timer);
    return waiting;
  }

  private failAll(error: Error): void {
    for (const token of [...this.waiting.keys()]) this.forget(token)?.reject(error);
  }
}

/** The acknowledgement JetStream answered, or the API error it answered instead (thrown). */
function pubAckOf(answer: unknown): PubAck {
  const { error, stream, seq, duplicate, domain } = (answer ?? {}) as Partial<PubAck> & {
    error?: ApiError;
  };
  if (error !== undefined) throw new JetStreamApiError(error);
  if (typeof stream !== 'string' || stream === '' || typeof seq !== 'number') {
    throw new JetStreamError('invalid ack response');
  }
  const ack: PubAck = { stream, seq, duplicate: duplicate === true };
  if (typeof domain === 'string') ack.domain = domain;
  return ack;
}
