import { setTimeout as delay } from 'node:timers/promises';
import {
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { batchesBucketName } from '@switchyard/contracts';
import { batchRecordSchema, type BatchRecord } from './batch-record';
import { bucketApiOptions, type BucketSettings } from './bucket-settings';

const keyOf = (tenant: string, batchId: string) => `${tenant}.${batchId}`;

/** A batch record and the bucket revision it was read at. */
export interface StoredBatch {
  record: BatchRecord;
  revision: number;
}

/** One page of batches. */
export interface BatchPage {
  data: BatchRecord[];
  hasMore: boolean;
}

/** Thrown when a stored value is not a batch record (written by something else). */
export class UnreadableBatchError extends Error {
  override readonly name = 'UnreadableBatchError';
}

function decode(entry: KvEntry): BatchRecord {
  const parsed = batchRecordSchema.safeParse(entry.json());
  if (!parsed.success) throw new UnreadableBatchError(`${entry.key} is not a batch record`);
  return parsed.data;
}

/**
 * The Batch API's batches in a JetStream KV bucket (`batchesBucketName(streamPrefix)`), one key
 * `<tenant>.<batch id>` per batch, so every lookup is scoped to its tenant. Changes are
 * compare-and-set on the key's revision: the gateway (cancel) and the batch runner (progress)
 * never overwrite each other.
 */
export class BatchStore {
  private constructor(
    private readonly kv: KV,
    private readonly jsm: JetStreamManager,
    private readonly bucket: string,
  ) {}

  /** Opens the bucket, creating it when it does not exist (safe from every process at once). */
  static async open(nc: NatsConnection, settings: BucketSettings): Promise<BatchStore> {
    const name = batchesBucketName(settings.streamPrefix);
    const kv = await new Kvm(jetstream(nc, bucketApiOptions())).create(name, {
      history: 1,
      replicas: settings.replicas,
      storage: settings.storage === 'memory' ? StorageType.Memory : StorageType.File,
      description: 'Switchyard batches: the state of each /v1/batches batch',
    });
    const jsm = await jetstreamManager(nc, bucketApiOptions());
    const { config } = await jsm.streams.info(`KV_${name}`);
    if (config.num_replicas !== settings.replicas) {
      await jsm.streams.update(`KV_${name}`, { num_replicas: settings.replicas });
    }
    return new BatchStore(kv, jsm, name);
  }

  /** Stores a new batch (its id is new: a clash is an error). */
  async create(record: BatchRecord): Promise<void> {
    await this.kv.create(keyOf(record.tenant, record.batch.id), JSON.stringify(record));
  }

  /** A batch of `tenant`, or null. */
  async get(tenant: string, batchId: string): Promise<StoredBatch | null> {
    const entry = await this.kv.get(keyOf(tenant, batchId));
    if (entry === null || entry.operation !== 'PUT') return null;
    return { record: decode(entry), revision: entry.revision };
  }

  /** The batches of `tenant`, newest first, after the batch id `after` when given. */
  async list(tenant: string, options: { after?: string; limit: number }): Promise<BatchPage> {
    const ids: string[] = [];
    for await (const key of await this.kv.keys(`${tenant}.*`))
      ids.push(key.slice(tenant.length + 1));
    ids.sort().reverse();
    const start = options.after === undefined ? 0 : ids.indexOf(options.after) + 1;
    const data: BatchRecord[] = [];
    let index = start;
    for (; index < ids.length && data.length < options.limit; index++) {
      const stored = await this.get(tenant, ids[index] as string);
      if (stored !== null) data.push(stored.record);
    }
    return { data, hasMore: index < ids.length };
  }

  /**
   * Changes a batch by `change`, which gets the latest record and returns the new one (or null
   * to leave it). Read and write are compare-and-set: when another process wrote in between,
   * `change` runs again on what it wrote, after a random pause that grows with each conflict
   * (up to 50 ms), so that writers of one busy record (a runner's progress, the gateway's
   * cancel, a lease renewal) do not keep colliding. Resolves to the record as stored, or null
   * when there is no such batch.
   */
  async update(
    tenant: string,
    batchId: string,
    change: (record: BatchRecord) => BatchRecord | null,
  ): Promise<BatchRecord | null> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.get(tenant, batchId);
      if (stored === null) return null;
      const next = change(stored.record);
      if (next === null) return stored.record;
      try {
        await this.kv.update(keyOf(tenant, batchId), JSON.stringify(next), stored.revision);
        return next;
      } catch (error) {
        if (attempt >= 20 || !isWrongRevision(error)) throw error;
      }
      await delay(Math.random() * Math.min(50, 2 ** attempt));
    }
  }

  /**
   * Every batch as it is now and each change after, until the iterator is stopped (the batch
   * runner's view). Values that are not batch records are skipped.
   */
  async *watch(signal: AbortSignal): AsyncGenerator<BatchRecord> {
    const watcher = await this.kv.watch({ key: '>' });
    const stop = () => watcher.stop();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const entry of watcher) {
        if (entry.operation !== 'PUT') continue;
        try {
          yield decode(entry);
        } catch (error) {
          if (!(error instanceof UnreadableBatchError)) throw error;
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      watcher.stop();
    }
  }
}

function isWrongRevision(error: unknown): boolean {
  return error instanceof Error && /wrong last sequence/i.test(error.message);
}
