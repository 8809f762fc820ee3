import { describe, expect, it } from 'vitest';
import { createRandom, latencyModel } from './latency';

describe('createRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRandom(43)()).not.toBe(first[0]);
  });
});

describe('latencyModel', () => {
  it('waits ttft first, then per token; a body waits for all its tokens', () => {
    const model = latencyModel({ ttftMs: 100, perTokenMs: 10, jitterMs: 0 }, () => 0.5);
    expect(model.firstDelay()).toBe(100);
    expect(model.tokenDelay(3)).toBe(30);
    expect(model.tokenDelay(0)).toBe(0);
    expect(model.totalDelay(5)).toBe(140);
    expect(model.totalDelay(0)).toBe(100);
  });

  it('adds jitter drawn from the source', () => {
    const model = latencyModel({ ttftMs: 100, perTokenMs: 0, jitterMs: 40 }, () => 0.25);
    expect(model.firstDelay()).toBe(110);
  });
});
