import { seconds, type BatchRecord, type BatchStatus } from '@switchyard/batches';
import { UserError } from '@switchyard/entrypoint';
import { findBatch, noSuchBatch, type BatchStores } from './batch-stores';

/** What a cancel makes of a batch as it is now (what `POST /v1/batches/{id}/cancel` does). */
export type CancelStep =
  | { kind: 'cancel'; record: BatchRecord }
  | { kind: 'unchanged' }
  | { kind: 'refused'; status: BatchStatus };

/**
 * The cancel transition: a `validating` or `in_progress` batch becomes `cancelling` with
 * `cancelling_at` now (the runner stops submitting, cancels its queued jobs and ends it
 * `cancelled`); a `cancelling` or `cancelled` one stays as it is; any other is refused.
 */
export function cancelStep(record: BatchRecord, nowMs: number): CancelStep {
  const { status } = record.batch;
  if (status === 'cancelling' || status === 'cancelled') return { kind: 'unchanged' };
  if (status !== 'validating' && status !== 'in_progress') return { kind: 'refused', status };
  return {
    kind: 'cancel',
    record: {
      ...record,
      batch: { ...record.batch, status: 'cancelling', cancelling_at: seconds(nowMs) },
    },
  };
}

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
