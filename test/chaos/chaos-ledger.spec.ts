import type { UsageEvent } from '@switchyard/contracts';
import type { SimCall } from '@switchyard/provider-sim';
import { describe, expect, it } from 'vitest';
import { killWindowMs, tallyChaos, type JobAccount } from './chaos-ledger';

const killAt = 1_000_000;

function call(text: string, outcome: SimCall['outcome'], endedAt: number): SimCall {
  return { text, outcome, endedAt } as SimCall;
}

function event(id: string, status: UsageEvent['status'] = 'success'): UsageEvent {
  return { id, status } as UsageEvent;
}

const answered = (calls: SimCall[], events: UsageEvent[]): JobAccount => ({
  index: 0,
  outcome: { kind: 'result', text: 'a' },
  calls,
  events,
});

describe('tallyChaos', () => {
  const kills = [{ what: 'worker-a', at: killAt }];

  it('passes a job answered with its one call’s text, billed once', () => {
    const tally = tallyChaos([answered([call('a', 'completed', 1)], [event('u1')])], kills);
    expect(tally).toMatchObject({ results: 1, providerCalls: 1, billedEvents: 1, problems: [] });
  });

  it('counts a call a killed worker had under way as unbilled, and no other', () => {
    const cut = call('b', 'aborted', killAt + 5);
    const ok = tallyChaos([answered([cut, call('a', 'completed', 1)], [event('u1')])], kills);
    expect(ok).toMatchObject({ unbilledAtWorkerKill: 1, problems: [] });
    const away = call('b', 'completed', killAt - killWindowMs - 1);
    const bad = tallyChaos([answered([away, call('a', 'completed', 1)], [event('u1')])], kills);
    expect(bad.problems).toEqual(['job 0: 1 provider calls unbilled away from any worker kill']);
  });

  it('fails double billing, a lost job, an answer no call gave and an unbilled answer', () => {
    const twice = tallyChaos(
      [answered([call('a', 'completed', 1)], [event('u1'), event('u2')])],
      kills,
    );
    expect(twice).toMatchObject({ duplicated: 1 });
    expect(twice.problems).toHaveLength(1);
    const lost = tallyChaos(
      [{ index: 3, outcome: { kind: 'lost', reason: 'timeout' }, calls: [], events: [] }],
      kills,
    );
    expect(lost).toMatchObject({ lost: 1, problems: ['job 3: lost: timeout'] });
    const foreign = tallyChaos([answered([call('z', 'completed', 1)], [event('u1')])], kills);
    expect(foreign.problems).toEqual([
      'job 0: the answer is not the text of any completed call of the job',
    ]);
    const unbilled = tallyChaos(
      [answered([call('a', 'completed', 1)], [event('u1', 'error')])],
      kills,
    );
    expect(unbilled.problems).toEqual(['job 0: answered, and no call of it billed as a success']);
  });

  it('accepts an HTTP request cut only at the gateway’s kill', () => {
    const cutAt = (at: number): JobAccount => ({
      index: 1,
      outcome: { kind: 'http_cut', at },
      calls: [],
      events: [],
    });
    const gatewayKill = [{ what: 'gateway', at: killAt }];
    expect(tallyChaos([cutAt(killAt + 10)], gatewayKill).problems).toEqual([]);
    expect(tallyChaos([cutAt(1)], gatewayKill).problems).toEqual([
      'job 1: HTTP connection broke, no gateway kill',
    ]);
  });
});
