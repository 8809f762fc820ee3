import { describe, expect, it } from 'vitest';
import { decideSettlement, type CallFacts } from './settle-decision';

const failed = (patch: Partial<CallFacts> = {}): CallFacts => ({
  ok: false,
  chunksSent: 0,
  handedBack: false,
  cancelled: false,
  deadlinePassed: false,
  failure: { type: 'server', retryable: true },
  failuresOnModel: 1,
  retryBudget: 2,
  ...patch,
});

describe('decideSettlement', () => {
  it('answers a call that answered, whatever else happened', () => {
    expect(decideSettlement(failed({ ok: true, handedBack: true, cancelled: true }))).toEqual({
      kind: 'answer',
    });
  });

  it('hands a stopping worker’s job back, unless its stream has started: then stream_cut', () => {
    expect(decideSettlement(failed({ handedBack: true }))).toEqual({ kind: 'hand_back' });
    expect(decideSettlement(failed({ handedBack: true, chunksSent: 3 }))).toEqual({
      kind: 'fail',
      reason: 'stream_cut',
    });
  });

  it('answers a cancelled job cancelled, never retries it', () => {
    expect(decideSettlement(failed({ cancelled: true }))).toEqual({
      kind: 'fail',
      reason: 'cancelled',
    });
  });

  it('answers with the error when the deadline passed or the stream had started', () => {
    expect(decideSettlement(failed({ deadlinePassed: true }))).toEqual({
      kind: 'fail',
      reason: 'error',
    });
    expect(decideSettlement(failed({ chunksSent: 1 }))).toEqual({ kind: 'fail', reason: 'error' });
  });

  it('retries a retryable failure while the retry budget lasts, then dead-letters', () => {
    expect(decideSettlement(failed({ failuresOnModel: 1, retryBudget: 2 }))).toEqual({
      kind: 'retry',
    });
    expect(decideSettlement(failed({ failuresOnModel: 2, retryBudget: 2 }))).toEqual({
      kind: 'retry',
    });
    expect(decideSettlement(failed({ failuresOnModel: 3, retryBudget: 2 }))).toEqual({
      kind: 'dead_letter',
    });
    expect(decideSettlement(failed({ retryBudget: 0 }))).toEqual({ kind: 'dead_letter' });
  });

  it('dead-letters a failure that is not retryable at once', () => {
    expect(
      decideSettlement(failed({ failure: { type: 'content_policy', retryable: false } })),
    ).toEqual({ kind: 'dead_letter' });
  });
});
