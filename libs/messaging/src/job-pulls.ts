import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/nats-core';
import { nuid } from '@nats-io/nats-core';
import { JetStreamError } from '@nats-io/jetstream';
import type { Logger } from '@switchyard/telemetry';

/** Where JetStream delivered a job from, read off the message's `$JS.ACK…` reply subject. */
export interface JobDeliveryInfo {
  readonly consumer: string;
  readonly streamSequence: number;
  /** 1 the first time, 2 after one nak or AckWait, … */
  readonly deliveryCount: number;
  readonly timestampNanos: number;
  /** Messages still waiting in the consumer after this one. */
  readonly pending: number;
}

/** A job message delivered by a pull, and how to settle it (JetStream's ack protocol). */
export interface PulledJob {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  readonly info: JobDeliveryInfo;
  ack(): void;
  /** Redeliver, after `delayMs` when given. */
  nak(delayMs?: number): void;
  /** Never deliver again; the reason reaches the server's advisory (nats-server 2.10.4+). */
  term(reason?: string): void;
  /** Still working on it: AckWait starts again. */
  working(): void;
}

/** One open pull request: `done` resolves how many jobs it delivered, or rejects. */
export interface OpenPull {
  readonly done: Promise<number>;
  /** Ends the pull here; a job the server still delivers for it is handed back at once. */
  close(): void;
}

interface PullState {
  readonly consumer: string;
  readonly size: number;
  delivered: number;
  readonly onJob: (job: PulledJob) => void;
  /** How often the server says the pull is still waiting while it has no job for it. */
  readonly heartbeatMs: number;
  /** When a message for the pull was last read: a job, a heartbeat or another status. */
  lastSeen: number;
  /** The check for a pull the server lost (see watchForLoss). */
  timer: NodeJS.Timeout | undefined;
  readonly end: (error?: Error) => void;
}

/** The idle heartbeat asked for: half the expiry (the most the server takes), 30 s at most. */
function heartbeatFor(expiresMs: number): number {
  return Math.min(30_000, Math.max(1, Math.floor(expiresMs / 2)));
}

const encoder = new TextEncoder();
const ackBody = encoder.encode('+ACK');
const nakBody = encoder.encode('-NAK');
const termBody = encoder.encode('+TERM');
const workingBody = encoder.encode('+WPI');

/**
 * Pull requests to a stream's consumers over one subscription held for the puller's life
 * (`<inbox prefix>.<nuid>.*`, each pull answering on its own token), instead of nats.js's
 * `fetch`, which subscribes, and unsubscribes, a new inbox with its own heartbeat timers for
 * every pull: three socket writes where one will do, on the path of every job a worker takes.
 *
 * A consumer has at most one pull open at a time: jobs carry their consumer (in the ack
 * subject), not their pull, so that is how a job finds its pull. A pull ends when it delivered
 * `size` jobs, when the server ends it (408 when it expired, 409 on a leader change), or with an
 * error (409 consumer deleted and the other refusals, 503 no JetStream). One the server lost
 * ends when the connection is back (a restart of the server it is connected to), or with an
 * error once two of its idle heartbeats are missing (a consumer leader elsewhere that died).
 * A job delivered for no open pull (one closed here while the server still had it) is handed
 * back with a nak.
 */
export class JobPulls {
  private readonly prefix: string;
  private readonly subscription: Subscription;
  private readonly byConsumer = new Map<string, PullState>();
  private readonly byToken = new Map<string, PullState>();
  private readonly log: Logger;
  private next = 0;
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    options: { inboxPrefix: string; logger: Logger },
  ) {
    this.prefix = `${options.inboxPrefix}.${nuid.next()}`;
    this.log = options.logger;
    this.subscription = nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => (error === null ? this.receive(msg) : this.failAll(error)),
    });
    void this.endPullsOnReconnect();
  }

  /**
   * Asks `consumer` for up to `size` jobs, waiting at most `expiresMs` at the server; each job
   * goes to `onJob` as it arrives. Throws when the consumer already has a pull open here.
   */
  pull(
    consumer: string,
    size: number,
    expiresMs: number,
    onJob: (job: PulledJob) => void,
  ): OpenPull {
    if (this.byConsumer.has(consumer)) {
      throw new Error(`consumer ${consumer} already has a pull open`);
    }
    const token = (this.next++).toString(36);
    let end!: (error?: Error) => void;
    const done = new Promise<number>((resolve, reject) => {
      end = (error) => {
        if (this.byConsumer.get(consumer) !== state) return;
        this.byConsumer.delete(consumer);
        this.byToken.delete(token);
        clearTimeout(state.timer);
        if (error === undefined) resolve(state.delivered);
        else reject(error);
      };
    });
    const state: PullState = {
      consumer,
      size,
      delivered: 0,
      onJob,
      heartbeatMs: heartbeatFor(expiresMs),
      lastSeen: Date.now(),
      end,
      timer: undefined,
    };
    this.watchForLoss(state);
    this.byConsumer.set(consumer, state);
    this.byToken.set(token, state);
    const request = JSON.stringify({
      batch: size,
      expires: expiresMs * 1_000_000,
      idle_heartbeat: state.heartbeatMs * 1_000_000,
    });
    try {
      this.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.stream}.${consumer}`, request, {
        reply: `${this.prefix}.${token}`,
      });
    } catch (error) {
      end(error as Error);
    }
    return { done, close: () => end() };
  }

  /**
   * Ends `state` with an error once two of its heartbeats are missing: nothing was read for it
   * for two heartbeats, and a round trip to the server (a flush, whose answer comes after
   * everything the server sent before it) brought nothing either. The round trip tells a pull
   * the server lost (a consumer leader that died) from one whose messages wait in the socket
   * behind others (a worker reading a burst of jobs reads its socket for seconds).
   */
  private watchForLoss(state: PullState): void {
    const missedBy = state.lastSeen + 2 * state.heartbeatMs - Date.now();
    const check = async (): Promise<void> => {
      const seen = state.lastSeen;
      if (Date.now() - seen < 2 * state.heartbeatMs) return this.watchForLoss(state);
      try {
        await this.nc.flush();
      } catch (error) {
        return state.end(error as Error);
      }
      if (this.byConsumer.get(state.consumer) !== state) return;
      if (state.lastSeen !== seen) return this.watchForLoss(state);
      state.end(new JetStreamError(`the pull from ${state.consumer} went silent: server lost it?`));
    };
    state.timer = setTimeout(() => void check(), Math.max(0, missedBy));
  }

  /**
   * Ends every open pull and stops listening. The subscription is drained, not dropped: a job
   * the server sent before it read the unsubscribe still arrives and is handed back, instead
   * of waiting out its AckWait.
   */
  close(): void {
    this.closed = true;
    this.closeAll();
    this.subscription.drain().catch((error: unknown) => {
      if (!this.nc.isClosed()) this.log.warn({ err: error }, 'draining the pulls failed');
    });
  }

  /** Ends every open pull as its close() does; jobs still delivered for them are handed back. */
  closeAll(): void {
    for (const state of [...this.byConsumer.values()]) state.end();
  }

  /**
   * A server that restarted lost every pull (one that did not answers the next pulls as well;
   * what its old pulls still deliver goes to the consumer's next pull or is handed back).
   */
  private async endPullsOnReconnect(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (this.closed) return;
      if (status.type === 'reconnect') this.closeAll();
    }
  }

  private receive(msg: Msg): void {
    if (msg.subject.startsWith(this.prefix)) {
      this.status(msg);
      return;
    }
    const info = msg.reply === undefined ? null : deliveryInfo(msg.reply);
    if (info === null) {
      this.log.warn({ subject: msg.subject }, 'a pull delivered a message that is not a job');
      return;
    }
    const job = pulledJob(msg, info);
    const state = this.byConsumer.get(info.consumer);
    if (state === undefined) {
      job.nak();
      return;
    }
    state.delivered += 1;
    state.lastSeen = Date.now();
    if (state.delivered >= state.size) state.end();
    state.onJob(job);
  }

  /** A status the server sent to a pull's own subject: its end, or a heartbeat. */
  private status(msg: Msg): void {
    const state = this.byToken.get(msg.subject.slice(this.prefix.length + 1));
    if (state === undefined) return;
    state.lastSeen = Date.now();
    const code = msg.headers?.code ?? 0;
    if (code === 100) return;
    const description = msg.headers?.description ?? '';
    // 404 no messages, 408 expired, 409 leader change: the pull is over, nothing is wrong.
    const over = code === 404 || code === 408 || (code === 409 && /leader/i.test(description));
    if (over) state.end();
    else state.end(new JetStreamError(`pulling from ${state.consumer}: ${code} ${description}`));
  }

  private failAll(error: Error): void {
    for (const state of [...this.byConsumer.values()]) state.end(error);
  }
}

/**
 * The delivery info in a JetStream ack subject: `$JS.ACK.<stream>.<consumer>.<delivered>.
 * <stream seq>.<consumer seq>.<timestamp>.<pending>`, or the form with a domain and account
 * hash after `$JS.ACK` (and a random token at the end); null for any other subject.
 */
export function deliveryInfo(ackSubject: string): JobDeliveryInfo | null {
  const tokens = ackSubject.split('.');
  if (tokens[0] !== '$JS' || tokens[1] !== 'ACK') return null;
  const at = tokens.length === 9 ? 2 : tokens.length >= 11 ? 4 : -1;
  if (at < 0) return null;
  const number = (index: number) => Number(tokens[at + index]);
  const info = {
    consumer: tokens[at + 1] ?? '',
    deliveryCount: number(2),
    streamSequence: number(3),
    timestampNanos: number(5),
    pending: number(6),
  };
  const counts = [info.deliveryCount, info.streamSequence, info.pending];
  const valid =
    info.consumer !== '' &&
    counts.every(Number.isSafeInteger) &&
    Number.isFinite(info.timestampNanos);
  return valid ? info : null;
}

function pulledJob(msg: Msg, info: JobDeliveryInfo): PulledJob {
  return {
    subject: msg.subject,
    data: msg.data,
    headers: msg.headers,
    info,
    ack: () => msg.respond(ackBody),
    nak: (delayMs) =>
      msg.respond(
        delayMs === undefined
          ? nakBody
          : encoder.encode(`-NAK ${JSON.stringify({ delay: delayMs * 1_000_000 })}`),
      ),
    term: (reason) =>
      msg.respond(reason === undefined ? termBody : encoder.encode(`+TERM ${reason}`)),
    working: () => msg.respond(workingBody),
  };
}
