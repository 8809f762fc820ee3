import { describe, expect, it } from 'vitest';
import { batchShare, pullSize, type LaneState } from './lane-share';

const lane = (inFlight: number, backlog: number, claimed = 0): LaneState => ({
  inFlight,
  claimed,
  backlog,
});

describe('pullSize: interactive first, batch never starved', () => {
  it('keeps a tenth of the slots (at least one, none at concurrency 1) for batch', () => {
    expect([1, 2, 9, 10, 32, 100].map(batchShare)).toEqual([0, 1, 1, 1, 3, 10]);
  });

  it('gives interactive jobs every free slot but batch’s share while both wait', () => {
    const lanes = { interactive: lane(0, 500), batch: lane(0, 5_000) };
    expect(pullSize('interactive', 32, lanes)).toBe(29);
    expect(pullSize('batch', 32, lanes)).toBe(3);
  });

  it('lets batch take only its share while interactive jobs wait, whatever the batch backlog', () => {
    const lanes = { interactive: lane(29, 40), batch: lane(2, 5_000) };
    expect(pullSize('batch', 32, lanes)).toBe(1);
    expect(pullSize('interactive', 32, lanes)).toBe(0);
  });

  it('gives a slot freed by a batch job to a waiting interactive job, not to the batch', () => {
    const lanes = { interactive: lane(10, 5), batch: lane(21, 5_000) };
    expect(pullSize('batch', 32, lanes)).toBe(0);
    expect(pullSize('interactive', 32, lanes)).toBe(1);
  });

  it('lets batch use every slot while no interactive job waits (one stays open for the next)', () => {
    const lanes = { interactive: lane(0, 0, 1), batch: lane(0, 5_000) };
    expect(pullSize('batch', 32, lanes)).toBe(31);
    expect(pullSize('interactive', 32, { interactive: lane(0, 0), batch: lane(31, 5_000) })).toBe(
      1,
    );
  });

  it('pulls one when nothing is known to wait, and nothing without a free slot', () => {
    expect(pullSize('batch', 8, { interactive: lane(0, 0), batch: lane(0, 0) })).toBe(1);
    expect(pullSize('interactive', 8, { interactive: lane(7, 3), batch: lane(0, 0, 1) })).toBe(0);
  });

  it('at concurrency 1 serves interactive first and batch when none waits', () => {
    expect(pullSize('batch', 1, { interactive: lane(0, 4), batch: lane(0, 9) })).toBe(0);
    expect(pullSize('interactive', 1, { interactive: lane(0, 4), batch: lane(0, 9) })).toBe(1);
    expect(pullSize('batch', 1, { interactive: lane(0, 0), batch: lane(0, 9) })).toBe(1);
  });
});
