import { BatchStatuses, newBatchRecord, type BatchStatus } from './batch-record';
import { describe, expect, it } from 'vitest';
import { cancelStep } from './cancel-step';

const record = (status: BatchStatus) => {
  const fresh = newBatchRecord({
    tenant: 't',
    keyModels: [],
    inputFileId: 'file-x',
    metadata: null,
  });
  return { ...fresh, batch: { ...fresh.batch, status } };
};

describe('cancelStep (the gateway’s cancel transition)', () => {
  it('makes a validating or running batch cancelling, with cancelling_at now', () => {
    for (const status of ['validating', 'in_progress'] as const) {
      const step = cancelStep(record(status), 1_700_000_000_999);
      expect(step.kind).toBe('cancel');
      if (step.kind !== 'cancel') continue;
      expect(step.record.batch.status).toBe('cancelling');
      expect(step.record.batch.cancelling_at).toBe(1_700_000_000);
      expect(step.record.submitted).toBe(0);
    }
  });

  it('leaves a cancelling or cancelled batch as it is and refuses every other status', () => {
    expect(cancelStep(record('cancelling'), 0)).toEqual({ kind: 'unchanged' });
    expect(cancelStep(record('cancelled'), 0)).toEqual({ kind: 'unchanged' });
    const others = BatchStatuses.filter(
      (s) => !['validating', 'in_progress', 'cancelling', 'cancelled'].includes(s),
    );
    expect(others).toEqual(['failed', 'finalizing', 'completed', 'expired']);
    for (const status of others)
      expect(cancelStep(record(status), 0)).toEqual({ kind: 'refused', status });
  });
});
