import { describe, expect, it } from 'vitest';
import {
  CALL_KEY_LENGTH,
  CallLedger,
  callKey,
  callText,
  settleCall,
  type CallOpening,
} from './call-ledger';
import type { SimChoice } from './engine';
import { finishText } from './reply';

function opening(key: string, deployment = 'd'): CallOpening {
  return {
    deployment,
    provider: 'openai',
    model: 'gpt-4o',
    stream: false,
    requestId: `req-${key}`,
    key,
    text: `reply to ${key}`,
    promptTokens: 10,
    completionTokens: 4,
    fault: null,
    userAgent: null,
  };
}

describe('CallLedger', () => {
  it('numbers calls from 1 and lists them oldest first, filtered by key and deployment', () => {
    const ledger = new CallLedger();
    ledger.open(opening('a', 'x'));
    ledger.open(opening('b', 'y'));
    ledger.open(opening('a', 'y'));
    expect(ledger.list().map((call) => [call.seq, call.key])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'a'],
    ]);
    expect(ledger.list({ key: 'a' }).map((call) => call.seq)).toEqual([1, 3]);
    expect(ledger.list({ deployment: 'y' }).map((call) => call.seq)).toEqual([2, 3]);
    expect(ledger.list({ key: 'a', deployment: 'y' }).map((call) => call.seq)).toEqual([3]);
    expect(ledger.list({ key: 'none' })).toEqual([]);
  });

  it('keeps only the newest `limit` calls, in order, however often it wraps around', () => {
    const ledger = new CallLedger(3);
    for (let i = 1; i <= 3; i++) ledger.open(opening(`k${i}`));
    expect(ledger.list().map((call) => call.seq)).toEqual([1, 2, 3]);
    for (let i = 4; i <= 11; i++) {
      ledger.open(opening(`k${i}`));
      expect(ledger.list().map((call) => call.seq)).toEqual([i - 2, i - 1, i]);
    }
    expect(ledger.list({ key: 'k10' }).map((call) => call.seq)).toEqual([10]);
    expect(ledger.list({ key: 'k8' })).toEqual([]);
  });

  it('ends a call once; the listed entries are copies', () => {
    const ledger = new CallLedger();
    const call = ledger.open({ ...opening('a'), fault: { kind: 'timeout', params: { ms: 5 } } });
    expect(call.outcome).toBe('in_flight');
    const before = ledger.list()[0];
    settleCall(call, 'aborted');
    settleCall(call, 'faulted');
    expect(ledger.list()[0]?.outcome).toBe('aborted');
    expect(before?.outcome).toBe('in_flight');
    expect(before?.fault).toEqual({ kind: 'timeout', params: { ms: 5 } });
    expect(before?.fault).not.toBe(call.fault);
  });

  it('starts again at 1 when cleared', () => {
    const ledger = new CallLedger(2);
    for (let i = 0; i < 5; i++) ledger.open(opening(`k${i}`));
    ledger.clear();
    expect(ledger.list()).toEqual([]);
    expect(ledger.open(opening('z')).seq).toBe(1);
    expect(ledger.list().map((call) => call.key)).toEqual(['z']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new CallLedger(0)).toThrow(/positive integer/);
    expect(() => new CallLedger(1.5)).toThrow(/positive integer/);
  });
});

describe('callKey', () => {
  it('is the text itself up to 200 characters, else its first 200 code points', () => {
    expect(callKey('job-17: triage this')).toBe('job-17: triage this');
    expect(callKey('')).toBe('');
    const long = `job-3: ${'x'.repeat(300)}`;
    expect(callKey(long)).toBe(long.slice(0, CALL_KEY_LENGTH));
    const emoji = '🚂'.repeat(150);
    expect(callKey(emoji)).toBe(emoji);
    const moreEmoji = '🚂'.repeat(250);
    expect([...callKey(moreEmoji)]).toHaveLength(CALL_KEY_LENGTH);
  });
});

describe('callText', () => {
  const text = (value: string): SimChoice['text'] => finishText([value], {});
  const toolCall = { id: 'c1', name: 'lookup', arguments: '{"q":"text"}', argumentPieces: [] };

  it('is the text of one choice, the choices joined by newlines, a tool call as name(args)', () => {
    expect(callText([{ index: 0, text: text('Hi.'), finish: 'stop', completionTokens: 2 }])).toBe(
      'Hi.',
    );
    expect(
      callText([
        { index: 0, text: text('One.'), finish: 'stop', completionTokens: 2 },
        { index: 1, text: text('Two.'), finish: 'stop', completionTokens: 2 },
      ]),
    ).toBe('One.\nTwo.');
    expect(
      callText([{ index: 0, text: null, toolCall, finish: 'tool_calls', completionTokens: 7 }]),
    ).toBe('lookup({"q":"text"})');
    expect(
      callText([
        {
          index: 0,
          text: text('I will use lookup tool.'),
          toolCall,
          finish: 'tool_calls',
          completionTokens: 13,
        },
      ]),
    ).toBe('I will use lookup tool.\nlookup({"q":"text"})');
  });
});
