import type { BatchRecord, BatchStatus } from './batch-record';
import { seconds } from './batch-record';

/** What a cancel makes of a batch as it is now (the gateway's `POST /v1/batches/{id}/cancel` and `switchyard batch cancel`). */
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
