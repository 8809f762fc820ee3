import type { NatsConnection, Subscription, SubscriptionOptions } from '@nats-io/nats-core';
import { nuid } from '@nats-io/nats-core';
import { ServerNats } from '@nestjs/microservices';
import { makeError, type SpendReply } from '@switchyard/contracts';

/** The queue group metering replicas answer spend queries in: one answer per query. */
export const SPEND_QUEUE = 'switchyard-metering';

interface NatsRequest {
  data: Uint8Array;
  reply?: string;
  string(): string;
}

/**
 * Nest's NATS transport on the process's own connection. Nest 12's `ServerNats` speaks
 * `@nats-io/transport-node` v3, the client Switchyard uses, but opens a connection of its
 * own; this hands it a view of ours instead (subscriptions it makes are unsubscribed when Nest
 * closes; the connection stays open for the owner to drain).
 */
export class SharedConnectionNatsServer extends ServerNats {
  constructor(private readonly nc: NatsConnection) {
    super({
      queue: SPEND_QUEUE,
      serializer: { serialize: serializeSpendReply },
      deserializer: { deserialize: deserializeRequest },
    });
  }

  override createNatsClient(): Promise<unknown> {
    const subscriptions: Subscription[] = [];
    const { nc } = this;
    return Promise.resolve({
      subscribe(subject: string, options?: SubscriptionOptions) {
        const sub = nc.subscribe(subject, options);
        subscriptions.push(sub);
        return sub;
      },
      status: () => nc.status(),
      close() {
        for (const sub of subscriptions) sub.unsubscribe();
        return Promise.resolve();
      },
    });
  }
}

/**
 * Plain JSON requests in (any NATS client can ask: no Nest envelope), each with a reply
 * subject treated as a request. The handler gets the raw text and validates it itself, so
 * malformed JSON is answered instead of dropped.
 */
function deserializeRequest(msg: NatsRequest, options?: Record<string, unknown>) {
  return {
    pattern: options?.['channel'],
    data: msg.string(),
    ...(msg.reply ? { id: nuid.next() } : {}),
  };
}

/** Replies are the plain SpendReply JSON; an exception in the handler is a `server` error. */
function serializeSpendReply(packet: { response?: unknown; err?: unknown }) {
  const reply: SpendReply =
    packet.err === undefined && packet.response !== undefined
      ? (packet.response as SpendReply)
      : {
          ok: false,
          error: makeError(
            'server',
            'metering_failed',
            `metering could not answer: ${packet.err instanceof Error ? packet.err.message : String(packet.err)}`,
          ),
        };
  return { data: JSON.stringify(reply) };
}
