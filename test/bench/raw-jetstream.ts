/**
 * The floor under Switchyard's queue hop: what NATS itself does for the same round trip with
 * nothing else, in this process. A caller publishes a job body to a work-queue stream (with a
 * message id and a reply-subject header, awaiting the PubAck); a pull consumer (`consume()`)
 * takes it, publishes an answer to that subject and acks it; the caller's one wildcard inbox
 * subscription hands the answer to its waiting call.
 */
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
} from '@nats-io/jetstream';
import { createInbox, headers, type NatsConnection } from '@nats-io/nats-core';
import type { CallSample } from './fixed-time-run';

/** A running floor: `call` makes one round trip; `stop` deletes its stream. */
export interface RawJetStream {
  call(): Promise<CallSample>;
  stop(): Promise<void>;
}

/** Starts the floor's stream, consumer and inbox on `nc`. */
export async function startRawJetStream(
  nc: NatsConnection,
  prefix: string,
  body: string,
): Promise<RawJetStream> {
  const jsm = await jetstreamManager(nc);
  const stream = `${prefix}_RAW`;
  const subject = `${prefix}.raw.jobs`;
  await jsm.streams.add({
    name: stream,
    subjects: [subject],
    storage: StorageType.Memory,
    retention: RetentionPolicy.Workqueue,
  });
  await jsm.consumers.add(stream, {
    durable_name: 'raw',
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 10_000,
  });
  const js = jetstream(nc);
  const messages: ConsumerMessages = await (await js.consumers.get(stream, 'raw')).consume();
  void (async () => {
    for await (const msg of messages) {
      const replyTo = msg.headers?.get('Reply-To');
      if (replyTo) nc.publish(replyTo, msg.data);
      msg.ack();
    }
  })();

  const inbox = createInbox();
  const waiting = new Map<string, () => void>();
  const replies = nc.subscribe(`${inbox}.*`, {
    callback: (_error, msg) => {
      const token = msg.subject.slice(inbox.length + 1);
      waiting.get(token)?.();
      waiting.delete(token);
    },
  });
  let n = 0;
  return {
    async call() {
      const started = performance.now();
      const token = String((n += 1));
      const answered = new Promise<void>((resolve) => waiting.set(token, resolve));
      const h = headers();
      h.set('Reply-To', `${inbox}.${token}`);
      await js.publish(subject, body, { msgID: `raw-${token}`, headers: h });
      await answered;
      return { totalMs: performance.now() - started };
    },
    async stop() {
      await messages.close();
      replies.unsubscribe();
      await jsm.streams.delete(stream);
    },
  };
}
