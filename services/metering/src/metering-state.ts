import { defineScript } from '@switchyard/limits';
import type { Redis } from 'ioredis';
import type { MeteringKeys } from './aggregate-keys';

/** What metering's Redis holds: the state is built, being rebuilt, or missing (lost or new). */
export type MeteringStatus =
  | { status: 'ready' }
  | { status: 'rebuilding'; replayed: number; target: number }
  | { status: 'missing' };

/** Where the state was built from, written into the marker for operators. */
export interface StateSource {
  stream: string;
  consumer: string;
}

/** KEYS[1] the marker; ARGV field, value, …: sets the fields only while the marker exists. */
const updateIfPresent = defineScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`);

/** Reads the marker of metering's state. */
export async function readMeteringStatus(
  redis: Redis,
  keys: MeteringKeys,
): Promise<MeteringStatus> {
  const fields = await redis.hgetall(keys.state);
  if (fields['status'] === 'ready') return { status: 'ready' };
  if (fields['status'] === 'rebuilding') {
    return {
      status: 'rebuilding',
      replayed: Number(fields['replayed'] ?? 0),
      target: Number(fields['target'] ?? 0),
    };
  }
  return { status: 'missing' };
}

/** Writes the marker of a state that starts out complete (nothing was ever metered). */
export async function markFresh(
  redis: Redis,
  keys: MeteringKeys,
  source: StateSource,
): Promise<void> {
  await redis.hset(keys.state, {
    status: 'ready',
    stream: source.stream,
    consumer: source.consumer,
    ready_at: Date.now(),
  });
}

/** Writes the marker: a rebuild up to stream sequence `target` has started. */
export async function markRebuilding(
  redis: Redis,
  keys: MeteringKeys,
  source: StateSource,
  target: number,
): Promise<void> {
  await redis.hset(keys.state, {
    status: 'rebuilding',
    stream: source.stream,
    consumer: source.consumer,
    target,
    replayed: 0,
    started_at: Date.now(),
  });
}

/**
 * Records a rebuild's progress; false when the marker is gone (Redis lost its state again
 * during the rebuild, which must then start over).
 */
export async function markProgress(
  redis: Redis,
  keys: MeteringKeys,
  replayed: number,
): Promise<boolean> {
  return (await updateIfPresent.run(redis, [keys.state], ['replayed', replayed])) === 1;
}

/** Marks a rebuild complete; false when the marker is gone (the rebuild must start over). */
export async function markRebuilt(redis: Redis, keys: MeteringKeys): Promise<boolean> {
  const fields = ['status', 'ready', 'ready_at', Date.now()];
  return (await updateIfPresent.run(redis, [keys.state], fields)) === 1;
}
