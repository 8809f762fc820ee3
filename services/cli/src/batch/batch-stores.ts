import type { NatsConnection } from '@nats-io/nats-core';
import { BatchStore, FileStore, isBatchId, type StoredBatch } from '@switchyard/batches';
import type { SwitchyardConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';

/** The Files and Batch API buckets of an installation, as the gateway and the runner use them. */
export interface BatchStores {
  files: FileStore;
  batches: BatchStore;
}

/** Opens the files and batches buckets with the installation's prefix, replicas and storage. */
export async function openBatchStores(
  nc: NatsConnection,
  config: SwitchyardConfig,
): Promise<BatchStores> {
  const { streamPrefix, replicas, storage } = config.switchyard.nats;
  const settings = { streamPrefix, replicas, storage };
  const [files, batches] = await Promise.all([
    FileStore.open(nc, settings),
    BatchStore.open(nc, settings),
  ]);
  return { files, batches };
}

/** The UserError of a batch id that `tenant` has no batch under. */
export function noSuchBatch(tenant: string, batchId: string): UserError {
  return new UserError(`no batch "${batchId}" of tenant "${tenant}"`);
}

/** A batch of `tenant`; a UserError when there is none (or `batchId` cannot be a batch id). */
export async function findBatch(
  batches: BatchStore,
  tenant: string,
  batchId: string,
): Promise<StoredBatch> {
  const stored = isBatchId(batchId) ? await batches.get(tenant, batchId) : null;
  if (stored === null) throw noSuchBatch(tenant, batchId);
  return stored;
}
