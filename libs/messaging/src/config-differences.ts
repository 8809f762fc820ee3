import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import type { ManagedConsumerConfig, ManagedStreamConfig } from './topology-plan';

/** One managed setting whose value on the server differs from the wanted one. */
export interface ConfigDifference {
  field: string;
  have: unknown;
  want: unknown;
}

/** Settings the server cannot change in place. */
export const immutableStreamFields: readonly string[] = ['retention', 'storage'];
/** Consumer settings the server cannot change in place. */
export const immutableConsumerFields: readonly string[] = ['ack_policy', 'deliver_policy'];

function sortedText(values: readonly unknown[]): string {
  return values
    .map((value) => JSON.stringify(value))
    .sort()
    .join('\n');
}

function sameValue(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && sortedText(have) === sortedText(want);
  }
  if (typeof want === 'object' && want !== null) {
    const held = (typeof have === 'object' && have !== null ? have : {}) as Record<string, unknown>;
    return Object.entries(want).every(([key, value]) => held[key] === value);
  }
  return have === want;
}

/**
 * The wanted settings whose value on the server differs. Arrays (subjects) compare as sets;
 * for objects (`metadata`) only the wanted keys count, since servers add their own `_nats.*`
 * keys. Settings that are not wanted are not compared.
 */
export function configDifferences(
  have: StreamConfig | ConsumerConfig,
  want: ManagedStreamConfig | ManagedConsumerConfig,
): ConfigDifference[] {
  const held = have as Record<string, unknown>;
  return Object.entries(want)
    .filter(([field, value]) => !sameValue(held[field], value))
    .map(([field, value]) => ({ field, have: held[field], want: value }));
}

/** `field: have → want` for messages and logs. */
export function formatDifferences(list: readonly ConfigDifference[]): string {
  return list
    .map(({ field, have, want }) => `${field}: ${JSON.stringify(have)} → ${JSON.stringify(want)}`)
    .join(', ');
}
