import { cancelStep, type BatchRecord, type BatchStatus } from '@switchyard/batches';
import { UserError } from '@switchyard/entrypoint';
import { findBatch, noSuchBatch, type BatchStores } from './batch-stores';

/**
 * Cancels a batch of the tenant by {@link cancelStep}, compare-and-set on the batch's key as
 * the gateway does (a runner's write in between makes it decide again on what was written).
 * Resolves to the batch as stored; a batch not there or not cancellable is a UserError.
 */
export async function cancelBatch(
  { batches }: BatchStores,
  tenant: string,
  batchId: string,
): Promise<BatchRecord> {
  await findBatch(batches, tenant, batchId);
  let refused: BatchStatus | undefined;
  const record = await batches.update(tenant, batchId, (latest) => {
    const step = cancelStep(latest, Date.now());
    refused = step.kind === 'refused' ? step.status : undefined;
    return step.kind === 'cancel' ? step.record : null;
  });
  if (record === null) throw noSuchBatch(tenant, batchId);
  if (refused !== undefined) {
    throw new UserError(`cannot cancel batch ${batchId}: its status is ${refused}`);
  }
  return record;
}
