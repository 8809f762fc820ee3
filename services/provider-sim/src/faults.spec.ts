import { describe, expect, it } from 'vitest';
import { FaultBook, compileRule, numberParam, parseFaultSpec, type FaultTarget } from './faults';

describe('parseFaultSpec', () => {
  it('reads a kind with typed parameters', () => {
    expect(parseFaultSpec('rate_limit; retry_after=2')).toEqual({
      ok: true,
      value: { kind: 'rate_limit', params: { retry_after: 2 } },
    });
    expect(parseFaultSpec(' content_policy ;mode=refusal; flag ; on=true; n=-1.5')).toEqual({
      ok: true,
      value: { kind: 'content_policy', params: { mode: 'refusal', flag: true, on: true, n: -1.5 } },
    });
    expect(parseFaultSpec('cut_stream')).toEqual({
      ok: true,
      value: { kind: 'cut_stream', params: {} },
    });
  });

  it('rejects unknown kinds and nameless parameters', () => {
    const unknown = parseFaultSpec('meteor_strike');
    expect(unknown.ok).toBe(false);
    expect(unknown.ok ? '' : unknown.message).toContain('unknown fault "meteor_strike"');
    expect(parseFaultSpec('timeout; =3').ok).toBe(false);
    expect(parseFaultSpec('').ok).toBe(false);
  });

  it('reads numeric parameters with a fallback', () => {
    const spec = { kind: 'timeout' as const, params: { ms: 250, label: 'x', negative: -1 } };
    expect(numberParam(spec, 'ms', 0)).toBe(250);
    expect(numberParam(spec, 'label', 7)).toBe(7);
    expect(numberParam(spec, 'negative', 7)).toBe(7);
    expect(numberParam(spec, 'absent')).toBeUndefined();
  });
});

describe('compileRule', () => {
  it('merges params over the header form', () => {
    const rule = compileRule(
      { fault: 'rate_limit; retry_after=2', params: { retry_after: 5, scope: 'tokens' } },
      'f1',
    );
    expect(rule.ok && rule.value).toMatchObject({
      id: 'f1',
      fault: 'rate_limit',
      params: { retry_after: 5, scope: 'tokens' },
    });
  });

  it('rejects bad counters', () => {
    expect(compileRule({ fault: 'reset', count: 0 }, 'f').ok).toBe(false);
    expect(compileRule({ fault: 'reset', every: 1.5 }, 'f').ok).toBe(false);
    expect(compileRule({ fault: 'reset', probability: 2 }, 'f').ok).toBe(false);
  });
});

describe('FaultBook', () => {
  const target = (over: Partial<FaultTarget> = {}): FaultTarget => ({
    deployment: 'anthropic-primary',
    provider: 'anthropic',
    model: 'claude',
    stream: false,
    ...over,
  });
  const never = (): number => 0.99;

  it('applies a counted rule to the next N matching requests only', () => {
    const book = new FaultBook();
    book.add([{ deployment: 'anthropic-primary', fault: 'overloaded', count: 2 }]);
    expect(book.take(target({ deployment: 'other' }), never)).toBeUndefined();
    expect(book.take(target(), never)?.kind).toBe('overloaded');
    expect(book.take(target(), never)?.kind).toBe('overloaded');
    expect(book.take(target(), never)).toBeUndefined();
    expect(book.list()[0]).toMatchObject({ matched: 2, applied: 2 });
  });

  it('applies an every-N rule to the Nth, 2Nth, … matching request', () => {
    const book = new FaultBook();
    book.add([{ provider: 'anthropic', fault: 'server_error', every: 3 }]);
    const hits = Array.from({ length: 7 }, () => book.take(target(), never)?.kind ?? '-');
    expect(hits).toEqual(['-', '-', 'server_error', '-', '-', 'server_error', '-']);
  });

  it('takes the first rule that fires, in order, and matches stream and model', () => {
    const book = new FaultBook();
    book.add([
      { model: 'claude', stream: true, fault: 'cut_stream; after=2' },
      { fault: 'rate_limit' },
    ]);
    expect(book.take(target({ stream: true }), never)).toEqual({
      kind: 'cut_stream',
      params: { after: 2 },
    });
    expect(book.take(target(), never)?.kind).toBe('rate_limit');
  });

  it('draws probabilities from the given source', () => {
    const book = new FaultBook();
    book.add([{ fault: 'timeout', probability: 0.5 }]);
    expect(book.take(target(), () => 0.7)).toBeUndefined();
    expect(book.take(target(), () => 0.2)?.kind).toBe('timeout');
  });

  it('adds all rules or none, and removes by id', () => {
    const book = new FaultBook();
    const bad = book.add([{ fault: 'reset' }, { fault: 'nope' }]);
    expect(bad.ok).toBe(false);
    expect(book.list()).toHaveLength(0);
    const added = book.add([{ fault: 'reset' }, { fault: 'auth' }]);
    const ids = added.ok ? added.value.map((rule) => rule.id) : [];
    expect(ids).toEqual(['f1', 'f2']);
    expect(book.remove('f1')).toBe(true);
    expect(book.remove('f1')).toBe(false);
    expect(book.clear()).toBe(1);
  });
});
