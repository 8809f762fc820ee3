import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

/** A replicated JetStream asset: a stream, or a consumer of one. */
export type ReplicatedAsset = { stream: string; consumer?: string };

/** The server name of the asset's current leader, or undefined while it has none. */
export async function leaderOf(
  nc: NatsConnection,
  asset: ReplicatedAsset,
): Promise<string | undefined> {
  const jsm = await jetstreamManager(nc);
  const info =
    asset.consumer === undefined
      ? await jsm.streams.info(asset.stream)
      : await jsm.consumers.info(asset.stream, asset.consumer);
  const leader = info.cluster?.leader;
  return leader === undefined || leader === '' ? undefined : leader;
}

function stepdownSubject(asset: ReplicatedAsset): string {
  return asset.consumer === undefined
    ? `$JS.API.STREAM.LEADER.STEPDOWN.${asset.stream}`
    : `$JS.API.CONSUMER.LEADER.STEPDOWN.${asset.stream}.${asset.consumer}`;
}

/**
 * Asks the asset's leader to step down (JetStream API `LEADER.STEPDOWN`) until a leader that
 * `wanted` accepts is elected; each election picks another replica, so a few rounds suffice.
 * Returns that leader, or throws naming the last one when `rounds` ran out.
 */
export async function moveLeader(
  nc: NatsConnection,
  asset: ReplicatedAsset,
  wanted: { describe: string; accepts: (leader: string) => boolean },
  rounds = 12,
): Promise<string> {
  let leader = await settledLeader(nc, asset);
  for (let round = 0; round < rounds && !accepted(leader, wanted.accepts); round++) {
    await nc.request(stepdownSubject(asset), undefined, { timeout: 5_000 }).catch(() => undefined);
    const before = leader;
    const end = Date.now() + 10_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      leader = await leaderOf(nc, asset).catch(() => undefined);
    } while ((leader === undefined || leader === before) && Date.now() < end);
  }
  if (!accepted(leader, wanted.accepts))
    throw new Error(
      `${asset.consumer ?? asset.stream}: no leader ${wanted.describe} after ${rounds} step-downs (${leader ?? 'none'})`,
    );
  return leader as string;
}

function accepted(leader: string | undefined, accepts: (leader: string) => boolean): boolean {
  return leader !== undefined && accepts(leader);
}

async function settledLeader(
  nc: NatsConnection,
  asset: ReplicatedAsset,
): Promise<string | undefined> {
  const end = Date.now() + 15_000;
  for (;;) {
    const leader = await leaderOf(nc, asset).catch(() => undefined);
    if (leader !== undefined || Date.now() > end) return leader;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
