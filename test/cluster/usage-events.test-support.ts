import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { decodeUsageEvent, streamNames, type UsageEvent } from '@switchyard/contracts';

/** Every usage event in an installation's usage stream, and what was not a valid event. */
export interface StoredUsage {
  events: UsageEvent[];
  invalid: number;
}

/**
 * Reads every usage event the installation's usage stream (stream prefix `prefix`) stores now,
 * as its leader counts them, with an ordered consumer; nothing is acknowledged. An ordered
 * consumer made while a cluster settles after a node's restart can stall without an error
 * (CI saw one read nothing for 30 s): one that brings no message for `stallMs` is closed and the
 * stream read again from its start with a fresh one. Throws when they cannot all be read within
 * `timeoutMs`.
 */
export async function readUsageEvents(
  nc: NatsConnection,
  prefix: string,
  timeoutMs = 30_000,
  stallMs = 5_000,
): Promise<StoredUsage> {
  const stream = streamNames(prefix).usage;
  const jsm = await jetstreamManager(nc);
  const stored = (await jsm.streams.info(stream)).state.messages;
  let result: StoredUsage = { events: [], invalid: 0 };
  if (stored === 0) return result;
  const end = Date.now() + timeoutMs;
  do {
    result = await readFromStart(nc, stream, stored, Math.min(stallMs, end - Date.now()));
    if (result.events.length + result.invalid >= stored) return result;
  } while (Date.now() < end);
  const read = result.events.length + result.invalid;
  throw new Error(`read ${read} of the ${stored} usage events within ${timeoutMs} ms`);
}

/** Reads up to `stored` events with a new ordered consumer, until none came for `stallMs`. */
async function readFromStart(
  nc: NatsConnection,
  stream: string,
  stored: number,
  stallMs: number,
): Promise<StoredUsage> {
  const result: StoredUsage = { events: [], invalid: 0 };
  const consumer = await jetstream(nc).consumers.get(stream);
  const messages = await consumer.consume();
  const stall = setTimeout(() => void messages.close(), stallMs);
  try {
    for await (const msg of messages) {
      stall.refresh();
      const decoded = decodeUsageEvent(msg.data);
      if (decoded.ok) result.events.push(decoded.event);
      else result.invalid += 1;
      if (result.events.length + result.invalid >= stored) break;
    }
  } finally {
    clearTimeout(stall);
    await messages.close();
  }
  return result;
}

/** How often each job id occurs among `events`: the ids seen more than once, and the distinct count. */
export function jobIdCounts(events: readonly UsageEvent[]): {
  distinct: number;
  repeated: string[];
} {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.job_id, (counts.get(event.job_id) ?? 0) + 1);
  return {
    distinct: counts.size,
    repeated: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
  };
}

/** Resolves once the usage stream stores at least `count` messages; throws after `timeoutMs`. */
export async function waitForUsage(
  nc: NatsConnection,
  prefix: string,
  count: number,
  timeoutMs = 30_000,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const stream = streamNames(prefix).usage;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const stored = (await jsm.streams.info(stream)).state.messages;
    if (stored >= count) return;
    if (Date.now() > end) throw new Error(`usage stream holds ${stored} of ${count} events`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
