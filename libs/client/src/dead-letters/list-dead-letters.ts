import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeSubjectToken } from '@switchyard/contracts';
import { readDeadLetter, type ReadDeadLetterResult } from '@switchyard/messaging';
import { resolveDeadLetterLocation, type DeadLetterLocation } from './dead-letter-options';

/** Options of {@link listDeadLetters}. */
export interface ListDeadLettersOptions extends DeadLetterLocation {
  /** Only this tenant's dead letters. */
  tenant?: string;
  /** Only dead letters of this logical model. */
  model?: string;
  /** The first stream sequence to read. @defaultValue 1 */
  fromSeq?: number;
  /** At most this many entries. @defaultValue 100 */
  limit?: number;
  /** How long to wait for the stream to deliver them. @defaultValue 5_000 */
  timeoutMs?: number;
}

/** One stored dead letter: where it is in the stream, and what it says. */
export type DeadLetterEntry = ReadDeadLetterResult & {
  /** Its sequence in the dead-letter stream: what replayDeadLetter takes. */
  seq: number;
  subject: string;
  /** When the stream stored it (epoch ms). */
  storedAtMs: number;
};

/**
 * Reads stored dead letters, oldest first, from `fromSeq`, with an ephemeral ordered
 * consumer (nothing durable is created, nothing is acknowledged: the router's own durable
 * is not disturbed). Dead letters stay in the stream for its max age (14 days by default)
 * whether or not the router handled them.
 */
export async function listDeadLetters(
  js: JetStreamClient,
  options: ListDeadLettersOptions = {},
): Promise<DeadLetterEntry[]> {
  const { subjects, stream } = resolveDeadLetterLocation(options);
  const limit = options.limit ?? 100;
  const tenant = options.tenant ?? '*';
  const model = options.model === undefined ? '*' : encodeSubjectToken(options.model);
  const consumer = await js.consumers.get(stream, {
    filter_subjects: `${subjects.root}.dlq.${tenant}.${model}`,
    opt_start_seq: options.fromSeq ?? 1,
  });
  try {
    const pending = (await consumer.info(true)).num_pending;
    const wanted = Math.min(limit, pending);
    if (wanted <= 0) return [];
    const entries: DeadLetterEntry[] = [];
    const batch = await consumer.fetch({
      max_messages: wanted,
      expires: options.timeoutMs ?? 5_000,
    });
    for await (const msg of batch) {
      entries.push({
        ...readDeadLetter(msg, subjects),
        seq: msg.seq,
        subject: msg.subject,
        storedAtMs: Math.floor(msg.info.timestampNanos / 1e6),
      });
    }
    return entries;
  } finally {
    await consumer.delete().catch(() => false);
  }
}
