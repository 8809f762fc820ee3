import { describe, expect, it } from 'vitest';
import {
  batchShare,
  doorbellJobs,
  maxDoorbellJobs,
  maxPullJobs,
  nextDoorbellSize,
  pullSize,
  tenantPullSize,
  type LaneState,
} from './lane-share';

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

describe('tenantPullSize: an equal part for each tenant with jobs waiting, in bounded pulls', () => {
  it('gives each waiting tenant an equal part of the lane’s pull, no more than it has waiting', () => {
    expect(tenantPullSize(100, 4, 1_000)).toBe(25);
    expect(tenantPullSize(100, 3, 1_000)).toBe(34);
    expect(tenantPullSize(100, 4, 10)).toBe(10);
  });

  it('asks for at least one job, however many tenants share the lane', () => {
    expect(tenantPullSize(10, 1_000, 5)).toBe(1);
    expect(tenantPullSize(1, 1, 0)).toBe(1);
  });

  it('asks for at most maxPullJobs, however many slots are free and jobs wait', () => {
    expect(tenantPullSize(10_000, 1, 10_000)).toBe(maxPullJobs);
    expect(tenantPullSize(10_000, 10, 10_000)).toBe(maxPullJobs);
    expect(tenantPullSize(10_000, 100, 10_000)).toBe(100);
  });
});

describe('doorbell sizes: one job while idle, more while jobs trickle in', () => {
  it('grows twice as large after each filled doorbell, up to the most, and back to one after a short one', () => {
    const sizes = [1];
    let size = 1;
    for (let i = 0; i < 6; i += 1) {
      size = nextDoorbellSize(size, size);
      sizes.push(size);
    }
    expect(sizes).toEqual([1, 2, 4, 8, 16, 16, 16]);
    expect(maxDoorbellJobs).toBe(16);
    expect(nextDoorbellSize(16, 15)).toBe(1);
    expect(nextDoorbellSize(1, 0)).toBe(1);
  });

  it('asks for at most half the free slots, and at least one job', () => {
    expect(doorbellJobs('interactive', 16, 64)).toBe(16);
    expect(doorbellJobs('interactive', 16, 10)).toBe(5);
    expect(doorbellJobs('interactive', 8, 3)).toBe(1);
    expect(doorbellJobs('interactive', 8, 0)).toBe(1);
    expect(doorbellJobs('interactive', 8, -2)).toBe(1);
    expect(doorbellJobs('interactive', 1, 64)).toBe(1);
  });

  it('keeps a batch consumer’s doorbell at one job (its pending count starts the lane’s pulls)', () => {
    expect(doorbellJobs('batch', 16, 64)).toBe(1);
  });
});
