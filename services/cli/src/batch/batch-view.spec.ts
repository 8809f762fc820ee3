import { newBatchRecord, type BatchObject } from '@switchyard/batches';
import { describe, expect, it } from 'vitest';
import { batchListLines, batchProgressLine, batchStatusLines, etaText } from './batch-view';

const createdMs = Date.UTC(2026, 0, 31, 12, 0, 0);

function batch(change: Partial<BatchObject> = {}): BatchObject {
  const { batch } = newBatchRecord({
    tenant: 'acme',
    keyModels: [],
    inputFileId: 'file-in',
    metadata: null,
    now: createdMs,
  });
  return { ...batch, id: 'batch_one', ...change };
}

describe('batchStatusLines', () => {
  it('shows a new batch: status, counts, files, creation and expiry', () => {
    expect(batchStatusLines(batch())).toEqual([
      'batch_one  validating',
      '  requests     0 total, 0 completed, 0 failed',
      '  input file   file-in',
      '  output file  -',
      '  error file   -',
      '  created      2026-01-31T12:00:00Z',
      '  expires      2026-02-01T12:00:00Z',
    ]);
  });

  it('shows the times that happened in lifecycle order, the metadata and the input problems', () => {
    const lines = batchStatusLines(
      batch({
        status: 'failed',
        in_progress_at: createdMs / 1000 + 5,
        failed_at: createdMs / 1000 + 65,
        metadata: { run: 'nightly', team: 'ops' },
        errors: {
          object: 'list',
          data: [
            { code: 'invalid_json_line', message: 'malformed JSON', param: null, line: 2 },
            { code: 'too_many_tasks', message: 'too many', param: null, line: null },
          ],
        },
      }),
    );
    expect(lines[0]).toBe('batch_one  failed');
    expect(lines.slice(5, 9)).toEqual([
      '  created      2026-01-31T12:00:00Z',
      '  in progress  2026-01-31T12:00:05Z',
      '  failed       2026-01-31T12:01:05Z',
      '  expires      2026-02-01T12:00:00Z',
    ]);
    expect(lines.slice(9)).toEqual([
      '  metadata     run=nightly, team=ops',
      '  2 problems:',
      '    line 2: malformed JSON (invalid_json_line)',
      '    too many (too_many_tasks)',
    ]);
  });
});

describe('batchListLines', () => {
  it('is a table with answered of total and the failed count per batch', () => {
    const lines = batchListLines([
      batch({
        id: 'batch_b',
        status: 'in_progress',
        request_counts: { total: 12, completed: 7, failed: 1 },
      }),
      batch({ id: 'batch_a', status: 'completed', input_file_id: 'file-other' }),
    ]);
    expect(lines).toEqual([
      'ID       STATUS       CREATED               DONE  FAILED  INPUT FILE',
      'batch_b  in_progress  2026-01-31T12:00:00Z  8/12  1       file-in',
      'batch_a  completed    2026-01-31T12:00:00Z  0/0   0       file-other',
    ]);
  });
});

describe('batchProgressLine', () => {
  it('is the status alone until the runner has counted the lines', () => {
    expect(batchProgressLine(batch())).toBe('batch_one validating');
  });

  it('shows answered of total, the percentage (rounded down) and the failed', () => {
    const line = batchProgressLine(
      batch({ status: 'in_progress', request_counts: { total: 3, completed: 1, failed: 1 } }),
    );
    expect(line).toBe('batch_one in_progress: 2/3 done (66%), 1 failed');
  });
});

describe('etaText', () => {
  const counts = (total: number, completed: number, failed = 0) =>
    batch({ status: 'in_progress', request_counts: { total, completed, failed } });

  it('is ? before the lines are counted or while none was answered in the watch', () => {
    expect(etaText({ answered: 0, atMs: 0 }, batch(), 5_000)).toBe('?');
    expect(etaText({ answered: 3, atMs: 0 }, counts(10, 3), 5_000)).toBe('?');
    expect(etaText({ answered: 0, atMs: 5_000 }, counts(10, 0), 5_000)).toBe('?');
  });

  it('is the lines left at the rate answered since the watch began, and 0s when all are', () => {
    // 4 answered in 2 s since the start: 2/s, 6 left → 3 s.
    expect(etaText({ answered: 0, atMs: 1_000 }, counts(10, 3, 1), 3_000)).toBe('3s');
    expect(etaText({ answered: 0, atMs: 0 }, counts(1000, 10), 10_000)).toBe('16m30s');
    expect(etaText({ answered: 0, atMs: 0 }, counts(10, 9, 1), 1)).toBe('0s');
  });
});
