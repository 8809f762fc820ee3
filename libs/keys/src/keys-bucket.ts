import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { keysBucketName } from '@switchyard/contracts';
import { retryWhileJetStreamUnavailable } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/** Where the keys bucket lives: the installation's `switchyard.nats` settings. */
export interface KeysBucketSettings {
  /** `switchyard.nats.stream_prefix`: the bucket is `<prefix>_SWITCHYARD_KEYS` ('' for none). */
  readonly streamPrefix: string;
  /** Replicas, like the streams (1 to 5). */
  readonly replicas: number;
  readonly storage: 'file' | 'memory';
}

/**
 * Opens the keys bucket, creating it when it does not exist (one value per key, no history;
 * `replicas` and `storage` like the streams). Safe from every process at once: JetStream
 * accepts a create of an identical stream. An existing bucket whose replica count differs from
 * the settings is updated to it, as provisioning does for the streams; its storage cannot
 * change in place and is left as it is. A start-up step: while JetStream is unavailable (a
 * cluster electing its leader, a server too busy to answer) it is tried again with backoff for
 * a minute, as provisioning is, each try waiting 15 s for an answer.
 */
export async function openKeysBucket(
  nc: NatsConnection,
  settings: KeysBucketSettings,
  logger?: Logger,
): Promise<KV> {
  return retryWhileJetStreamUnavailable(() => openOnce(nc, settings), {
    forMs: 60_000,
    logger,
    what: 'opening the keys bucket',
  });
}

async function openOnce(nc: NatsConnection, settings: KeysBucketSettings): Promise<KV> {
  const name = keysBucketName(settings.streamPrefix);
  // A busy server gets more than the default 5 s to answer.
  const api = { timeout: 15_000 };
  const kv = await new Kvm(jetstream(nc, api)).create(name, {
    history: 1,
    replicas: settings.replicas,
    storage: settings.storage === 'memory' ? StorageType.Memory : StorageType.File,
    description: 'Switchyard virtual keys: records, secret hashes and aliases',
  });
  const jsm = await jetstreamManager(nc, api);
  const stream = `KV_${name}`;
  const { config } = await jsm.streams.info(stream);
  if (config.num_replicas !== settings.replicas) {
    await jsm.streams.update(stream, { num_replicas: settings.replicas });
  }
  return kv;
}
